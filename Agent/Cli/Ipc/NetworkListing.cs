namespace HamachiCloud.Agent.Ipc;

/// <summary>One network in <c>hamachi list</c>; <see cref="Routes"/> for gateway networks only.</summary>
public sealed record NetworkListing(
    string NetworkId, string Name, string Type, bool Online, IReadOnlyList<MemberListing> Members, IReadOnlyList<RouteListing>? Routes = null, bool OpenToAnyone = false);
