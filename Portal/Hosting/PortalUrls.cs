namespace HamachiCloud.Portal.Hosting;

/// <summary>
/// Where the Portal listens when nothing else says: <c>http://127.0.0.1:5080</c>, the port from
/// <c>HAMACHI_PORTAL_PORT</c>. <c>--urls</c>, <c>ASPNETCORE_URLS</c> and <c>ASPNETCORE_HTTP_PORTS</c>
/// (the container image sets it) still win.
/// </summary>
internal static class PortalUrls
{
    public const string PortEnvironmentVariable = "HAMACHI_PORTAL_PORT";
    public const int DefaultPort = 5080;

    /// <summary>The URL to bind, or null when the host's own configuration already names one.</summary>
    public static string? DefaultBinding(IConfiguration configuration, string? portVariable)
    {
        if (!string.IsNullOrWhiteSpace(configuration["urls"]) || !string.IsNullOrWhiteSpace(configuration["http_ports"])
            || !string.IsNullOrWhiteSpace(configuration["https_ports"]))
        {
            return null;
        }

        var port = DefaultPort;
        if (!string.IsNullOrWhiteSpace(portVariable) && (!int.TryParse(portVariable, out port) || port is < 1 or > 65535))
        {
            throw new InvalidOperationException($"{PortEnvironmentVariable}: '{portVariable}' is not a TCP port (1..65535)");
        }

        return $"http://127.0.0.1:{port}";
    }
}
