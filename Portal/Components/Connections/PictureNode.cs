namespace HamachiCloud.Portal.Components.Connections;

/// <summary>A device drawn in the connection picture: its pair end, whether it is online, and whether its member is a hub.</summary>
public sealed record PictureNode(PairEnd End, bool Online, bool Hub)
{
    public Guid DeviceId => End.DeviceId;

    /// <summary>The node's NAT glyph words (open, cone NAT, symmetric NAT, UDP blocked, NAT unknown).</summary>
    public string Nat => NatTypes.Brief(End.Nat, End.NatType);
}
