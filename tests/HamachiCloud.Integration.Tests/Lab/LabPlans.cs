using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.Plans;
using HamachiCloud.Api.Tests;
using HamachiCloud.Data.Entities;
using HamachiCloud.Protocol.Networks;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>Plans in the labs, as a customer gets them without Stripe: a support-staff account grants them over REST.</summary>
internal static class LabPlans
{
    /// <summary>A support-staff account (role given in the database, as an admin would), signed in against the lab Api.</summary>
    public static async Task<HamachiClient> StaffAsync(ApiFactory api)
    {
        var email = $"support-{Guid.NewGuid():N}@example.test";
        const string password = "correct horse battery staple";
        var account = await new HamachiClient(api.CreateClient()).RegisterAsync(new RegisterRequest(email, password, "support"));
        using (var scope = api.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            await users.AddToRoleAsync((await users.FindByIdAsync(account.Id.ToString()))!, Roles.Support);
        }

        return await LabApi.SignInAsync(api, email, password);
    }

    public static Task<GrantDto> GrantAsync(HamachiClient staff, Guid networkId, string planId = Plan.PremiumId) =>
        staff.GrantPlanAsync(new GrantPlanRequest(planId, "lab: support grant", 30, NetworkId: networkId));

    /// <summary>A gateway network as a customer makes one: mesh, Premium granted by staff, switched to gateway.</summary>
    public static async Task<NetworkDto> CreateGatewayNetworkAsync(ApiFactory api, HamachiClient owner, string name)
    {
        var network = await owner.CreateNetworkAsync(new CreateNetworkRequest(name, NetworkType.Mesh, JoinPolicy: JoinPolicy.Open));
        await GrantAsync(await StaffAsync(api), network.Id);
        return await owner.UpdateNetworkAsync(network.Id, new UpdateNetworkRequest(Type: NetworkType.Gateway));
    }
}
