namespace HamachiCloud.Api.Hosting;

/// <summary>Section <c>Bootstrap</c>: the first admin account created on a new database.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    public bool CreateAdmin { get; set; } = true;
    public string AdminEmail { get; set; } = "admin@hamachi.local";
}
