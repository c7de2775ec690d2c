using System.Text.Json;
using PortalBench;

// portal-bench seed    --connection CS --state FILE [--networks 500 --memberships 5000 --big 256 --my-networks 100 --users 2000]
// portal-bench measure --state FILE --api URL --portal URL [--loads 10 --changes 50]
// Figures go to stdout (one line each), progress and diagnostics to stderr. See infra/bench/portal.sh.
var clock = TimeProvider.System;
var log = Console.Error;
if (args.Length == 0 || args[0] is not ("seed" or "measure"))
{
    log.WriteLine("usage: portal-bench seed --connection CS --state FILE [...] | measure --state FILE --api URL --portal URL [...]");
    return 2;
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i < args.Length; i += 2)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        log.WriteLine($"portal-bench: expected --name value pairs, got '{args[i]}'");
        return 2;
    }

    options[args[i][2..]] = args[i + 1];
}

string Need(string name) => options.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");
int Int(string name, int fallback) => options.TryGetValue(name, out var v)
    ? int.TryParse(v, out var n) && n > 0 ? n : throw new ArgumentException($"--{name} must be a positive integer (got '{v}')")
    : fallback;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true };
try
{
    if (args[0] == "seed")
    {
        var shape = new SeedShape(Int("networks", 500), Int("memberships", 5000), Int("big", 256), Int("my-networks", 100), Int("users", 2000));
        var started = clock.GetTimestamp();
        var state = await new Seeder(clock).RunAsync(Need("connection"), shape, cts.Token);
        var path = Need("state");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(state, json), cts.Token);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        log.WriteLine($"portal-bench: seeded {state.Networks} networks, {state.Memberships} memberships ({shape.Users + 1} accounts and devices; " +
            $"the benchmark user is in {state.MyNetworks} networks, owns the {state.BigNetworkMembers}-member one) in {clock.GetElapsedTime(started).TotalSeconds:0.0} s");
        return 0;
    }

    var seed = JsonSerializer.Deserialize<SeedState>(await File.ReadAllTextAsync(Need("state"), cts.Token), json)
        ?? throw new InvalidOperationException("the state file is empty");
    var bench = new Measurement(seed, Need("api").TrimEnd('/'), Need("portal").TrimEnd('/'), Int("loads", 10), Int("changes", 50), clock, log);
    return await bench.RunAsync(cts.Token);
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException or HttpRequestException or TimeoutException or Microsoft.Playwright.PlaywrightException or IOException or HamachiCloud.Api.Contracts.Client.HamachiApiException)
{
    log.WriteLine($"portal-bench {args[0]}: {e.Message}");
    return 1;
}
