using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.SignIn;

/// <summary>
/// Verifies a password against a throw-away hash when the email has no account, so a sign-in for an
/// unknown address costs the same time as a wrong password (no user enumeration by timing: without it
/// the answer took 4 ms instead of 155 ms). Same hasher and options as the real accounts'.
/// </summary>
internal sealed class UnknownAccountPassword
{
    private static readonly User Nobody = new();
    private readonly PasswordHasher<User> _hasher;
    private readonly string _hash;

    public UnknownAccountPassword(IOptions<PasswordHasherOptions> options)
    {
        _hasher = new PasswordHasher<User>(options);
        _hash = _hasher.HashPassword(Nobody, Auth.SecretTokens.Generate(""));
    }

    /// <summary>Spends a real verification on <paramref name="password"/>; the answer is always "wrong".</summary>
    public void Verify(string? password) => _hasher.VerifyHashedPassword(Nobody, _hash, password ?? "");
}
