using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>A registered account signed in through the real code + PKCE flow, with its typed client.</summary>
public sealed record TestUser(Guid Id, string Email, string Password, HamachiClient Client, OAuthFlows.Tokens Tokens)
{
    public static async Task<TestUser> CreateAsync(ApiFactory f, string? name = null)
    {
        var email = $"{name ?? "user"}-{Guid.NewGuid():N}@example.test";
        const string password = "correct horse battery staple";
        var anonymous = new HamachiClient(f.CreateClient());
        var account = await anonymous.RegisterAsync(new RegisterRequest(email, password, name));
        var tokens = await OAuthFlows.SignInWithCodeAsync(f, email, password);
        var client = new HamachiClient(f.CreateClient());
        client.UseAccessToken(tokens.AccessToken);
        return new TestUser(account.Id, email, password, client, tokens);
    }

    /// <summary>A support-staff account (role granted in the database, as an admin would), signed in after the grant.</summary>
    public static async Task<TestUser> CreateStaffAsync(ApiFactory f)
    {
        var staff = await CreateAsync(f, "support");
        using (var scope = f.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var user = await users.FindByIdAsync(staff.Id.ToString());
            await users.AddToRoleAsync(user!, Roles.Support);
        }

        return staff;
    }
}
