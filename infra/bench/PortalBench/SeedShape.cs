namespace PortalBench;

/// <summary>
/// The data set: <see cref="Networks"/> networks holding <see cref="Memberships"/> memberships in all,
/// one of them (owned by the benchmark user, Premium) with <see cref="BigNetworkMembers"/> members; the
/// benchmark user is also a plain member of <see cref="MyNetworks"/> - 1 of the others (its networks list).
/// Members are drawn from <see cref="Users"/> accounts, one device each (so every row has addresses).
/// </summary>
public sealed record SeedShape(int Networks, int Memberships, int BigNetworkMembers, int MyNetworks, int Users)
{
    public void Validate()
    {
        var rest = Memberships - BigNetworkMembers;
        var others = Networks - 1;
        if (Networks < 2 || BigNetworkMembers < 2 || BigNetworkMembers > 256)
        {
            throw new ArgumentException($"need at least 2 networks and a big network of 2..256 members (got {Networks}, {BigNetworkMembers})");
        }

        if (rest < others || rest > others * 32)
        {
            throw new ArgumentException($"{rest} memberships for {others} other networks: each needs 1..32 (the Standard limit)");
        }

        if (MyNetworks < 1 || MyNetworks > Networks)
        {
            throw new ArgumentException($"my networks must be 1..{Networks} (got {MyNetworks})");
        }

        if (Users < BigNetworkMembers || Users < 33)
        {
            throw new ArgumentException($"need at least {Math.Max(BigNetworkMembers, 33)} users (got {Users})");
        }
    }
}
