using System.Runtime.InteropServices;
using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Platform.Linux;

/// <summary>
/// recvmmsg with UDP GRO: the kernel hands over runs of datagrams from one sender as one buffer of up to
/// 64 KiB plus the segment size (a UDP_GRO cmsg), saving a trip up the stack per datagram. This splits
/// them back into the caller's buffers (one copy each), keeping what does not fit for the next call.
/// Native staging buffers, nothing allocated per call. Not thread-safe: owned by the receiving thread.
/// </summary>
internal sealed unsafe class GroReceiver : IDisposable
{
    private const int Messages = 8;
    private const int BufferSize = 65536;
    private const int ControlSpace = 32;
    private const int UdpGro = 104;

    private readonly LibC.MMsgHdr* _messages;
    private readonly LibC.IoVec* _vectors;
    private readonly LibC.SockAddr* _addresses;
    private readonly byte* _buffers;
    private readonly byte* _controls;
    private int _count;
    private int _message;
    private int _offset;

    public GroReceiver()
    {
        _messages = (LibC.MMsgHdr*)NativeMemory.AllocZeroed(Messages, (nuint)sizeof(LibC.MMsgHdr));
        _vectors = (LibC.IoVec*)NativeMemory.AllocZeroed(Messages, (nuint)sizeof(LibC.IoVec));
        _addresses = (LibC.SockAddr*)NativeMemory.AllocZeroed(Messages, (nuint)sizeof(LibC.SockAddr));
        _buffers = (byte*)NativeMemory.Alloc(Messages * BufferSize);
        _controls = (byte*)NativeMemory.AllocZeroed(Messages, ControlSpace);
        for (var i = 0; i < Messages; i++)
        {
            _vectors[i].Base = _buffers + (i * BufferSize);
            _vectors[i].Length = BufferSize;
            _messages[i].Header.Iov = &_vectors[i];
            _messages[i].Header.IovLength = 1;
            _messages[i].Header.Name = &_addresses[i];
        }
    }

    /// <summary>Turns UDP GRO on for <paramref name="fd"/>; false if the kernel has no UDP_GRO.</summary>
    public static bool Enable(int fd)
    {
        var on = 1;
        return LibC.SetSockOpt(fd, LibC.SOL_UDP, UdpGro, &on, sizeof(int)) == 0;
    }

    /// <summary>
    /// Fills up to <c>buffers.Length</c> datagrams: leftovers first, else one recvmmsg (non-blocking).
    /// Returns the count, 0 if nothing is ready, or -errno.
    /// </summary>
    public int Receive(int fd, byte[][] buffers, int[] sizes, NetEndpoint[] from, int capacity)
    {
        if (_message >= _count)
        {
            for (var i = 0; i < Messages; i++)
            {
                _messages[i].Header.NameLength = (uint)sizeof(LibC.SockAddr);
                _messages[i].Header.Control = _controls + (i * ControlSpace);
                _messages[i].Header.ControlLength = ControlSpace;
                _messages[i].Header.Flags = 0;
            }

            var n = LibC.RecvMmsg(fd, _messages, Messages, LibC.MSG_DONTWAIT, null);
            if (n <= 0)
            {
                return n < 0 ? -Marshal.GetLastPInvokeError() : 0;
            }

            _count = n;
            _message = 0;
            _offset = 0;
        }

        var delivered = 0;
        while (delivered < capacity && _message < _count)
        {
            var length = (int)_messages[_message].Length;
            var segment = SegmentSize(_message);
            var take = Math.Min(segment > 0 ? segment : length, length - _offset);
            var destination = buffers[delivered];
            var copy = Math.Min(take, destination.Length);
            new ReadOnlySpan<byte>(_buffers + (_message * BufferSize) + _offset, copy).CopyTo(destination);
            sizes[delivered] = copy;
            from[delivered] = MmsgBatch.ToEndpoint(&_addresses[_message]);
            delivered++;
            _offset += take;
            if (_offset >= length)
            {
                _message++;
                _offset = 0;
            }
        }

        return delivered;
    }

    public void Dispose()
    {
        NativeMemory.Free(_messages);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_addresses);
        NativeMemory.Free(_buffers);
        NativeMemory.Free(_controls);
    }

    /// <summary>The UDP_GRO segment size of message <paramref name="i"/>, 0 if it holds one datagram.</summary>
    private int SegmentSize(int i)
    {
        var control = (byte*)_messages[i].Header.Control;
        var end = control + _messages[i].Header.ControlLength;
        while (control + 16 <= end)
        {
            var length = *(nuint*)control;
            if (length < 16)
            {
                break;
            }

            if (*(int*)(control + 8) == LibC.SOL_UDP && *(int*)(control + 12) == UdpGro && length >= 20)
            {
                return *(int*)(control + 16);
            }

            control += (length + 7) & ~(nuint)7;
        }

        return 0;
    }
}
