using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Portal.Tests.Support;

/// <summary>Member rows for tests.</summary>
public static class Members
{
    public static readonly DateTimeOffset Joined = new(2025, 5, 1, 9, 0, 0, TimeSpan.Zero);

    public static MemberDeviceDto Device(string name, bool online, DateTimeOffset? lastSeen = null, NatReport? nat = null, Guid? id = null, string? natType = null) =>
        new(id ?? Guid.NewGuid(), name, "25.0.0.7", "fd25::7", online, lastSeen, "Debian 13", "1.4.0", natType, nat);

    public static MemberDto Active(string name, MemberRole role = MemberRole.Member, HubRole hub = HubRole.Spoke, Guid? id = null, string? nickname = null, params MemberDeviceDto[] devices) =>
        new(id ?? Guid.NewGuid(), name, nickname, role, hub, MemberStatus.Active, Joined, devices);

    public static MemberDto Pending(string name, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), name, null, MemberRole.Member, HubRole.Spoke, MemberStatus.Pending, Joined, []);
}
