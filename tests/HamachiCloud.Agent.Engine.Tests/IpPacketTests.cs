using System.Buffers.Binary;
using HamachiCloud.Agent.Engine.Packets;
using HamachiCloud.Agent.Engine.RateLimit;

namespace HamachiCloud.Agent.Engine.Tests;

/// <summary>The pure pieces: IP header reading, broadcast classification, the token bucket.</summary>
public sealed class IpPacketTests
{
    private static readonly uint SubnetBroadcast = 0x647FFFFF; // 100.127.255.255, from 100.64.0.0/10

    [Theory]
    [InlineData(new byte[] { 255, 255, 255, 255 }, true)]
    [InlineData(new byte[] { 100, 127, 255, 255 }, true)]
    [InlineData(new byte[] { 224, 0, 0, 1 }, true)]
    [InlineData(new byte[] { 239, 255, 255, 250 }, true)]
    [InlineData(new byte[] { 240, 0, 0, 1 }, false)]
    [InlineData(new byte[] { 100, 64, 0, 2 }, false)]
    [InlineData(new byte[] { 100, 127, 255, 254 }, false)]
    public void Ipv4_broadcast_and_multicast(byte[] destination, bool expected) =>
        Assert.Equal(expected, IpPacket.IsBroadcastOrMulticast(destination, SubnetBroadcast));

    [Fact]
    public void Ipv6_multicast_is_ff00_slash_8()
    {
        var address = new byte[16];
        address[0] = 0xFF;
        Assert.True(IpPacket.IsBroadcastOrMulticast(address, 0));
        address[0] = 0xFD;
        Assert.False(IpPacket.IsBroadcastOrMulticast(address, 0));
    }

    [Fact]
    public void Length_comes_from_the_header_and_must_fit()
    {
        var packet = Ip.Udp4("100.64.0.1", "100.64.0.2", new byte[5]);
        var padded = new byte[48];
        packet.CopyTo(padded, 0);
        Assert.True(IpPacket.TryGetLength(padded, out var length));
        Assert.Equal(33, length);
        Assert.False(IpPacket.TryGetLength(padded.AsSpan(0, 32), out _));

        padded[0] = 0x44; // IHL 4 (16 bytes) is no IPv4 header
        Assert.False(IpPacket.TryGetLength(padded, out _));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 19);
        Assert.False(IpPacket.TryGetLength(packet, out _));
        Assert.False(IpPacket.TryGetLength([], out _));
        Assert.False(IpPacket.TryGetLength([0x70, 0, 0, 0], out _));

        var v6 = Ip.Udp6("fd00::1", "ff02::1", new byte[3]);
        Assert.True(IpPacket.TryGetLength(v6, out length));
        Assert.Equal(51, length);
    }

    [Fact]
    public void Token_bucket_allows_a_second_of_burst_then_refills_with_time()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var bucket = new TokenBucket(10, t0);
        var passed = 0;
        for (var i = 0; i < 25; i++)
        {
            passed += bucket.TryTake(t0) ? 1 : 0;
        }

        Assert.Equal(10, passed);
        Assert.False(bucket.TryTake(t0 + TimeSpan.FromMilliseconds(50)));
        Assert.True(bucket.TryTake(t0 + TimeSpan.FromMilliseconds(100)));
        Assert.False(bucket.TryTake(t0 + TimeSpan.FromMilliseconds(100)));
    }
}
