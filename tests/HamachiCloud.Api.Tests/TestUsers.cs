using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Client;

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
}
