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

    private readonly GCHandle[] _pins = new GCHandle[MaxBatch];
    private readonly byte[]?[] _pinned = new byte[]?[MaxBatch];

    public MmsgBatch()
    {
        Messages = (LibC.MMsgHdr*)NativeMemory.AllocZeroed(MaxBatch, (nuint)sizeof(LibC.MMsgHdr));
        Vectors = (LibC.IoVec*)NativeMemory.AllocZeroed(MaxBatch, (nuint)sizeof(LibC.IoVec));
        Addresses = (LibC.SockAddr*)NativeMemory.AllocZeroed(MaxBatch, (nuint)sizeof(LibC.SockAddr));
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
            Messages[i].Header.NameLength = 16;
            return true;
        }

        address->Family = LibC.AF_INET6;
        BinaryPrimitives.WriteUInt128BigEndian(new Span<byte>(address->V6Address, 16), to.Address);
        Messages[i].Header.NameLength = (uint)sizeof(LibC.SockAddr);
        return true;
    }

    /// <summary>Slot i's source address after recvmmsg.</summary>
    public NetEndpoint Source(int i)
    {
        var address = &Addresses[i];
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
    }
}
