using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Protocol.Control;

/// <summary>One device of a member account inside a network (Hamachi lists devices as members).</summary>
public sealed record MemberInfo(Guid DeviceId, Guid UserId, string Nickname, string DeviceName, MemberRole Role, HubRole HubRole, string IPv4, bool Online);
