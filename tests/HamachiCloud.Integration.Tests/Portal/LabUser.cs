using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Integration.Tests.Lab;

namespace HamachiCloud.Integration.Tests.Portal;

/// <summary>An account registered through the Api's REST endpoint, with the email and password a person types into a sign-in form.</summary>
internal sealed record LabUser(string Name, string Email, string Password)
{
    public const string DefaultPassword = "correct horse battery staple";

    /// <summary>A fresh address under example.test (<paramref name="name"/> plus a random suffix).</summary>
    public static LabUser New(string name) => new(name, $"{name}-{Guid.NewGuid():N}@example.test", DefaultPassword);

    /// <summary>Registers a new account (POST /api/v1/accounts) without signing it in.</summary>
    public static async Task<LabUser> RegisterAsync(LabApi api, string name)
    {
        var user = New(name);
        await new HamachiClient(api.Factory.CreateClient()).RegisterAsync(new RegisterRequest(user.Email, user.Password, name));
        return user;
    }
}
