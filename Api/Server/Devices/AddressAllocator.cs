using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Devices;

/// <summary>
/// Picks a device's stable virtual addresses: a free IPv4 from the pool (random, so ids do not
/// leak enrolment order; network and broadcast addresses excluded) and the IPv6 made of the ULA
/// prefix with that IPv4 in its low 32 bits (unique because the IPv4 is).
/// </summary>
internal sealed class AddressAllocator(HamachiDbContext db, IOptions<AddressPoolOptions> options)
{
    public async Task<(IPAddress V4, IPAddress V6)> AllocateAsync(CancellationToken ct)
    {
        var pool = options.Value.V4;
        var baseValue = ToUInt32(pool.BaseAddress);
        var size = 1UL << (32 - pool.PrefixLength);
        var usable = (long)size - 2;
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var candidate = ToAddress(baseValue + 1 + (uint)RandomNumberGenerator.GetInt32((int)Math.Min(usable, int.MaxValue)));
            if (!await db.Devices.AnyAsync(d => d.VirtualIPv4 == candidate, ct))
            {
                return (candidate, ToV6(options.Value.V6, candidate));
            }
        }

        // A nearly full pool: scan in order for the first gap.
        var taken = (await db.Devices.Select(d => d.VirtualIPv4).ToListAsync(ct)).Select(ToUInt32).ToHashSet();
        for (var i = 1L; i <= usable; i++)
        {
            var value = baseValue + (uint)i;
            if (!taken.Contains(value))
            {
                var address = ToAddress(value);
                return (address, ToV6(options.Value.V6, address));
            }
        }

        throw ApiProblemException.Conflict(ErrorCodes.AddressPoolExhausted, $"the address pool {pool} has no free address");
    }

    internal static IPAddress ToV6(IPNetwork prefix, IPAddress v4)
    {
        var bytes = prefix.BaseAddress.GetAddressBytes();
        v4.GetAddressBytes().CopyTo(bytes, 12);
        return new IPAddress(bytes);
    }

    private static uint ToUInt32(IPAddress a) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(a.GetAddressBytes());

    private static IPAddress ToAddress(uint value)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
