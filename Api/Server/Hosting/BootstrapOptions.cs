using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Hosting;

/// <summary>Section <c>Bootstrap</c>: the first admin account created on a new database.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    public bool CreateAdmin { get; set; } = true;
    public string AdminEmail { get; set; } = "admin@hamachi.local";

    /// <summary>How long the printed one-time password can be used to sign in (then it must be reset).</summary>
    public int OneTimePasswordHours { get; set; } = 24;

    internal sealed class Validator : IValidateOptions<BootstrapOptions>
    {
        public ValidateOptionsResult Validate(string? name, BootstrapOptions o) => o.OneTimePasswordHours is < 1 or > 720
            ? ValidateOptionsResult.Fail($"{Section}:OneTimePasswordHours must be 1..720")
            : ValidateOptionsResult.Success;
    }
}
