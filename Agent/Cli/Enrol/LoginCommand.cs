using HamachiCloud.Agent.Commands;
using HamachiCloud.Agent.State;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Enrolment;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Enrol;

/// <summary>
/// <c>hamachi login --server URL [--setup-key KEY] [--name NAME]</c>: creates the machine and node
/// keys (0600) if needed, authorises (setup key, or the device flow), enrols the public keys and
/// stores the result with the pinned server identity key. <c>hamachi logout</c> deletes the
/// device (with the stored token) and the local state.
/// </summary>
public static class LoginCommand
{
    public static int Login(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var server = args.Value("--server");
        if (server is null || !Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            stderr.WriteLine($"hamachi login: --server must be the Api's http(s) URL, got '{server}'");
            return CommandLine.Usage;
        }

        var state = new StateDirectory(args.StateDir);
        try
        {
            if (state.LoadEnrolment() is { } existing)
            {
                stderr.WriteLine($"hamachi login: already enrolled as {existing.Name} (device {existing.DeviceId}) with {existing.ServerUrl}; run `hamachi logout` first");
                return CommandLine.Usage;
            }

            using var machineKey = state.LoadOrCreateMachineKey();
            using var nodeKey = state.LoadOrCreateNodeKey();
            using var http = new HttpClient { BaseAddress = new Uri(server.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
            var client = new HamachiClient(http);
            var setupKey = args.Value("--setup-key");
            StoredTokens? tokens = null;
            var name = args.Value("--name") ?? Environment.MachineName;
            if (setupKey is null)
            {
                tokens = new DeviceFlow(http, TimeProvider.System)
                    .RunAsync(stdout, CancellationToken.None, showQr: !Console.IsOutputRedirected, deviceName: name, deviceOs: Control.AgentInfo.Os)
                    .GetAwaiter().GetResult();
                client.UseAccessToken(tokens.AccessToken);
            }

            var enrolled = client.EnrolAsync(new EnrolRequest(name, machineKey.PublicKey.ToBase64(), nodeKey.PublicKey.ToBase64(), setupKey)).GetAwaiter().GetResult();
            if (!SigningPublicKey.TryParse(enrolled.ServerIdentityKey, out _))
            {
                stderr.WriteLine($"hamachi login: the server's identity key '{enrolled.ServerIdentityKey}' is not an Ed25519 public key; not enrolled");
                return CommandLine.Failure;
            }

            if (tokens is not null)
            {
                state.SaveTokens(tokens);
            }

            state.SaveEnrolment(new Enrolment(enrolled.DeviceId, name, server.TrimEnd('/'), enrolled.ServerIdentityKey, enrolled.VirtualIPv4,
                enrolled.VirtualIPv6, enrolled.OverlayPrefixV4, enrolled.KeyExpiresAt));
            if (args.Json)
            {
                Output.Json(stdout, enrolled);
            }
            else
            {
                stdout.WriteLine($"enrolled as {name}: device {enrolled.DeviceId}, {enrolled.VirtualIPv4} / {enrolled.VirtualIPv6}");
                stdout.WriteLine($"pinned server identity key {enrolled.ServerIdentityKey}; start the agent with `hamachi daemon` (or systemctl start hamachi)");
            }

            return CommandLine.Ok;
        }
        catch (HamachiApiException e)
        {
            stderr.WriteLine($"hamachi login: {server} refused the enrolment: {e.Message}");
            return CommandLine.Failure;
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidDataException or TaskCanceledException)
        {
            stderr.WriteLine($"hamachi login: {e.Message}");
            return CommandLine.Failure;
        }
    }

    public static int Logout(CliArgs args, TextWriter stdout, TextWriter stderr)
    {
        var state = new StateDirectory(args.StateDir);
        try
        {
            var enrolment = state.LoadEnrolment();
            var tokens = state.LoadTokens();
            if (enrolment is not null && tokens is not null)
            {
                try
                {
                    using var http = new HttpClient { BaseAddress = new Uri(enrolment.ServerUrl + "/"), Timeout = TimeSpan.FromSeconds(15) };
                    var client = new HamachiClient(http);
                    client.UseAccessToken(tokens.AccessToken);
                    try
                    {
                        client.DeleteDeviceAsync(enrolment.DeviceId).GetAwaiter().GetResult();
                    }
                    catch (HamachiApiException e) when (e.Problem.Status == 401 && tokens.RefreshToken is { } refresh)
                    {
                        // The hour-long access token expired: refresh once and retry.
                        var fresh = new DeviceFlow(http, TimeProvider.System).RefreshAsync(refresh, CancellationToken.None).GetAwaiter().GetResult();
                        client.UseAccessToken(fresh.AccessToken);
                        client.DeleteDeviceAsync(enrolment.DeviceId).GetAwaiter().GetResult();
                    }

                    stdout.WriteLine($"deleted device {enrolment.DeviceId} on {enrolment.ServerUrl}");
                }
                catch (Exception e) when (e is HamachiApiException or HttpRequestException or TaskCanceledException or IOException)
                {
                    stderr.WriteLine($"hamachi logout: could not delete device {enrolment.DeviceId} on the server ({e.Message}); remove it in the Portal");
                }
            }
            else if (enrolment is not null)
            {
                stdout.WriteLine($"no sign-in token stored (enrolled with a setup key): device {enrolment.DeviceId} stays on {enrolment.ServerUrl} until removed in the Portal");
            }

            var removed = state.Clear();
            stdout.WriteLine(removed.Count == 0 ? "nothing to remove: not enrolled" : $"removed local state: {string.Join(", ", removed)}");
            return CommandLine.Ok;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"hamachi logout: {e.Message}");
            return CommandLine.Failure;
        }
    }
}
