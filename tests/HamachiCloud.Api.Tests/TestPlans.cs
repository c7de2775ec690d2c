using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.Plans;
using HamachiCloud.Data.Entities;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Api.Tests;

/// <summary>Plans the way a customer gets them without Stripe: a support-staff account grants them through the admin API.</summary>
public static class TestPlans
{
    /// <summary>Grants <paramref name="planId"/> to the network for 30 days (a fresh staff account does it) and returns the grant.</summary>
    public static async Task<GrantDto> GrantAsync(ApiFactory f, Guid networkId, string planId = Plan.PremiumId, TestUser? staff = null)
    {
        staff ??= await TestUser.CreateStaffAsync(f);
        return await staff.Client.GrantPlanAsync(new GrantPlanRequest(planId, "test: customer support", 30, NetworkId: networkId));
    }

    /// <summary>A gateway network as a customer makes one: a mesh network, Premium granted, then switched to gateway.</summary>
    public static async Task<NetworkDto> CreateGatewayNetworkAsync(ApiFactory f, TestUser owner, string name, JoinPolicy policy = JoinPolicy.Open)
    {
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest(name, NetworkType.Mesh, JoinPolicy: policy));
        await GrantAsync(f, net.Id);
        return await owner.Client.UpdateNetworkAsync(net.Id, new UpdateNetworkRequest(Type: NetworkType.Gateway));
    }
}
