using System.Buffers.Binary;
using System.Runtime.InteropServices;
using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Platform.Linux;

/// <summary>
/// Native mmsghdr/iovec/sockaddr arrays for one direction of recvmmsg/sendmmsg, plus the pins of the
/// caller's buffers. A buffer stays pinned while it occupies the same slot, so a caller that reuses its
/// buffers (the engine's pools do) costs no pin per call and nothing is allocated per packet. Not
/// thread-safe: one per direction, used under that direction's ownership.
/// </summary>
internal sealed unsafe class MmsgBatch : IDisposable
{
    public const int MaxBatch = 64;

    /// <summary>Most bytes one UDP GSO send may carry (the IP length field caps it near 64 KiB).</summary>
    public const int MaxGsoBytes = 65000;

    /// <summary>CMSG_SPACE(sizeof(uint16)) on LP64: a 16-byte cmsghdr plus the padded value.</summary>
    private const int ControlSpace = 24;
    private const int SolUdp = 17;
    private const int UdpSegment = 103;

    private readonly GCHandle[] _pins = new GCHandle[MaxBatch];
    private readonly byte[]?[] _pinned = new byte[]?[MaxBatch];
    private readonly NetEndpoint[] _destinations = new NetEndpoint[MaxBatch];
    private readonly bool[] _valid = new bool[MaxBatch];
    private readonly byte* _controls;
    private uint _nameLength = (uint)sizeof(LibC.SockAddr);

    public MmsgBatch()
    {
        Messages = (LibC.MMsgHdr*)NativeMemory.AllocZeroed(MaxBatch, (nuint)sizeof(LibC.MMsgHdr));
        Vectors = (LibC.IoVec*)NativeMemory.AllocZeroed(MaxBatch, (nuint)sizeof(LibC.IoVec));
        Addresses = (LibC.SockAddr*)NativeMemory.AllocZeroed(MaxBatch, (nuint)sizeof(LibC.SockAddr));
        _controls = (byte*)NativeMemory.AllocZeroed(MaxBatch, ControlSpace);
        for (var i = 0; i < MaxBatch; i++)
        {
            Messages[i].Header.Iov = &Vectors[i];
            Messages[i].Header.IovLength = 1;
            Messages[i].Header.Name = &Addresses[i];
        }
    }

    public LibC.MMsgHdr* Messages { get; }

    public LibC.IoVec* Vectors { get; }

    public LibC.SockAddr* Addresses { get; }

    /// <summary>After <see cref="Pack"/>: message m starts at slot MessageStart[m] and carries MessageSegments[m] datagrams.</summary>
    public int[] MessageStart { get; } = new int[MaxBatch];

    public int[] MessageSegments { get; } = new int[MaxBatch];

    /// <summary>Points slot <paramref name="i"/> at <c>buffer[offset..offset + length]</c>.</summary>
    public void Set(int i, byte[] buffer, int offset, int length)
    {
        if (!ReferenceEquals(_pinned[i], buffer))
        {
            if (_pins[i].IsAllocated)
            {
                _pins[i].Free();
            }

            _pins[i] = GCHandle.Alloc(buffer, GCHandleType.Pinned);
            _pinned[i] = buffer;
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)offset + (uint)length, (uint)buffer.Length, nameof(length));
        Vectors[i].Base = (byte*)_pins[i].AddrOfPinnedObject() + offset;
        Vectors[i].Length = (nuint)length;
        Messages[i].Header.NameLength = (uint)sizeof(LibC.SockAddr);
        Messages[i].Header.Flags = 0;
        Messages[i].Length = 0;
    }

    /// <summary>Writes <paramref name="to"/> as slot i's destination; false if the socket's family cannot reach it.</summary>
    public bool SetDestination(int i, in NetEndpoint to, int family)
    {
        _destinations[i] = to;
        _valid[i] = SetAddress(i, to, family);
        return _valid[i];
    }

    /// <summary>
    /// Builds messages for slots <paramref name="first"/>..<paramref name="end"/> (skipping slots without a
    /// valid destination). With <paramref name="gso"/>, runs of datagrams to one destination, all of one
    /// size except a shorter last one, become one message with several iovecs and a UDP_SEGMENT cmsg: the
    /// kernel sends them as separate datagrams after one trip down the stack. Returns the message count.
    /// </summary>
    public int Pack(int first, int end, bool gso)
    {
        var messages = 0;
        var k = first;
        while (k < end)
        {
            if (!_valid[k])
            {
                k++;
                continue;
            }

            var start = k;
            var segment = (int)Vectors[k].Length;
            var total = segment;
            k++;
            while (gso && k < end && _valid[k] && k - start < MaxBatch && _destinations[k] == _destinations[start]
                   && (int)Vectors[k - 1].Length == segment && (int)Vectors[k].Length <= segment && total + (int)Vectors[k].Length <= MaxGsoBytes)
            {
                total += (int)Vectors[k].Length;
                k++;
            }

            ref var header = ref Messages[messages].Header;
            header.Iov = &Vectors[start];
            header.IovLength = (nuint)(k - start);
            header.Name = &Addresses[start];
            header.NameLength = _nameLength;
            header.Flags = 0;
            if (k - start > 1)
            {
                var control = _controls + (messages * ControlSpace);
                *(nuint*)control = 16 + sizeof(ushort);
                *(int*)(control + 8) = SolUdp;
                *(int*)(control + 12) = UdpSegment;
                *(ushort*)(control + 16) = (ushort)segment;
                header.Control = control;
                header.ControlLength = ControlSpace;
            }
            else
            {
                header.Control = null;
                header.ControlLength = 0;
            }

            MessageStart[messages] = start;
            MessageSegments[messages] = k - start;
            messages++;
        }

        return messages;
    }

    private bool SetAddress(int i, in NetEndpoint to, int family)
    {
        var address = &Addresses[i];
        *address = default;
        address->PortBigEndian = BinaryPrimitives.ReverseEndianness(to.Port);
        if (family == LibC.AF_INET)
        {
            if (!to.IsIPv4)
            {
                return false;
            }

            address->Family = LibC.AF_INET;
            to.WriteAddress(new Span<byte>(&address->V4Address, 4));
            Messages[i].Header.NameLength = _nameLength = 16;
            return true;
        }

        address->Family = LibC.AF_INET6;
        BinaryPrimitives.WriteUInt128BigEndian(new Span<byte>(address->V6Address, 16), to.Address);
        Messages[i].Header.NameLength = _nameLength = (uint)sizeof(LibC.SockAddr);
        return true;
    }

    /// <summary>Slot i's source address after recvmmsg.</summary>
    public NetEndpoint Source(int i) => ToEndpoint(&Addresses[i]);

    /// <summary>A received sockaddr_in or sockaddr_in6 as an endpoint.</summary>
    public static NetEndpoint ToEndpoint(LibC.SockAddr* address)
    {
        var port = BinaryPrimitives.ReverseEndianness(address->PortBigEndian);
        return address->Family == LibC.AF_INET
            ? NetEndpoint.FromIPv4(new ReadOnlySpan<byte>(&address->V4Address, 4), port)
            : NetEndpoint.FromIPv6(new ReadOnlySpan<byte>(address->V6Address, 16), port);
    }

    public void Dispose()
    {
        for (var i = 0; i < MaxBatch; i++)
        {
            if (_pins[i].IsAllocated)
            {
                _pins[i].Free();
            }

            _pinned[i] = null;
        }

        NativeMemory.Free(Messages);
        NativeMemory.Free(Vectors);
        NativeMemory.Free(Addresses);
        NativeMemory.Free(_controls);
    }
}
