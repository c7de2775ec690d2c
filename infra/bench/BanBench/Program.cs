using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using HamachiCloud.Data.Entities;
using HamachiCloud.Migrations;
using Microsoft.EntityFrameworkCore;

// ban-bench API_DLL [ROUNDS] [REQUESTS]: for 0, 1,000 and 100,000 bans, interleaved over ROUNDS rounds, the real Api
// (a new process per measurement, SQLite in a temporary directory) answers REQUESTS anonymous GET /api/v1/networks
// from 127.0.0.1 (8 at a time; each passes the ban check, then gets 401). The Api's CPU time (utime + stime from
// /proc) per request is the figure; the ratios are medians against the no-ban case of the same run.
var culture = CultureInfo.InvariantCulture;
if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: ban-bench API_DLL [ROUNDS] [REQUESTS]");
    return 2;
}

var apiDll = Path.GetFullPath(args[0]);
var rounds = args.Length > 1 ? int.Parse(args[1], culture) : 3;
var requests = args.Length > 2 ? int.Parse(args[2], culture) : 20_000;
int[] sizes = [0, 1_000, 100_000];
var work = Directory.CreateTempSubdirectory("ban-bench-");
var database = Path.Combine(work.FullName, "bench.db");
var connection = $"Data Source={database}";
var ticksPerSecond = 100.0; // USER_HZ on Linux
var results = sizes.ToDictionary(n => n, _ => new List<double>());
var rates = sizes.ToDictionary(n => n, _ => new List<double>());
try
{
    for (var round = 1; round <= rounds; round++)
    {
        foreach (var n in sizes)
        {
            await SeedAsync(n);
            var port = FreePort();
            using var api = StartApi(port);
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
                await WaitHealthyAsync(http, api);
                await HammerAsync(http, Math.Min(3_000, requests)); // warm-up: JIT tiers, connection pool, ban list loaded
                var cpuBefore = CpuTicks(api.Id);
                var clock = Stopwatch.StartNew();
                await HammerAsync(http, requests);
                clock.Stop();
                var cpu = (CpuTicks(api.Id) - cpuBefore) / ticksPerSecond;
                var perRequest = cpu / requests * 1e6;
                results[n].Add(perRequest);
                rates[n].Add(requests / clock.Elapsed.TotalSeconds);
                Console.WriteLine($"round {round}: {n.ToString("N0", culture)} bans: {perRequest:0.0} µs Api CPU per request, {requests / clock.Elapsed.TotalSeconds:0} requests/s");
            }
            finally
            {
                api.Kill(entireProcessTree: true);
                await api.WaitForExitAsync();
            }
        }
    }

    var baseline = Median(results[0]);
    Console.WriteLine($"0 bans: {baseline:0.0} µs Api CPU per request (median of {rounds}), {Median(rates[0]):0} requests/s");
    foreach (var n in sizes.Skip(1))
    {
        Console.WriteLine($"{n.ToString("N0", culture)} bans: ratio {Median(results[n]) / baseline:0.00} ({Median(results[n]):0.0} µs per request, {Median(rates[n]):0} requests/s)");
    }

    return 0;
}
finally
{
    work.Delete(recursive: true);
}

async Task SeedAsync(int count)
{
    await using var db = DatabaseRegistration.CreateContext(DatabaseProvider.Sqlite, connection);
    await db.Database.MigrateAsync();
    await db.Bans.ExecuteDeleteAsync();
    db.ChangeTracker.AutoDetectChangesEnabled = false;
    var now = TimeProvider.System.GetUtcNow();
    var seen = new HashSet<string>();
    while (seen.Count < count)
    {
        // Random ranges that never hold the client (127.0.0.1): IPv4 /16../32 in 1.0.0.0-126.255.255.255, one in five IPv6.
        string cidr;
        if (RandomNumberGenerator.GetInt32(5) == 0)
        {
            var bytes = RandomNumberGenerator.GetBytes(16);
            bytes[0] = 0x20;
            var length = 32 + RandomNumberGenerator.GetInt32(97);
            cidr = $"{new IPNetwork(Mask(new IPAddress(bytes), length), length)}";
        }
        else
        {
            var bytes = RandomNumberGenerator.GetBytes(4);
            bytes[0] = (byte)(1 + RandomNumberGenerator.GetInt32(126));
            var length = 16 + RandomNumberGenerator.GetInt32(17);
            cidr = $"{new IPNetwork(Mask(new IPAddress(bytes), length), length)}";
        }

        if (seen.Add(cidr))
        {
            db.Bans.Add(new HamachiCloud.Data.Entities.Ban { Id = Guid.NewGuid(), Cidr = cidr, Reason = "bench", CreatedAt = now, UpdatedAt = now });
        }
    }

    await db.SaveChangesAsync();
}

Process StartApi(int port)
{
    var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = work.FullName };
    foreach (var a in (string[])[apiDll, "--contentRoot", Path.GetDirectoryName(apiDll)!, "--urls", $"http://127.0.0.1:{port}"])
    {
        start.ArgumentList.Add(a);
    }

    start.Environment["Database__Provider"] = "Sqlite";
    start.Environment["Database__ConnectionString"] = connection;
    start.Environment["Identity__KeyDirectory"] = Path.Combine(work.FullName, "keys");
    start.Environment["Identity__AllowHttp"] = "true";
    start.Environment["Logging__LogLevel__Default"] = "Warning";
    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task WaitHealthyAsync(HttpClient http, Process api)
{
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < TimeSpan.FromSeconds(90))
    {
        if (api.HasExited)
        {
            throw new InvalidOperationException($"the Api exited with {api.ExitCode} before it was healthy");
        }

        try
        {
            using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
            if (health.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
            // not listening yet
        }

        await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
    }

    throw new TimeoutException("the Api was not healthy within 90 s");
}

static async Task HammerAsync(HttpClient http, int count)
{
    var next = -1;
    var workers = Enumerable.Range(0, 8).Select(async _ =>
    {
        while (Interlocked.Increment(ref next) < count)
        {
            using var response = await http.GetAsync(new Uri("/api/v1/networks", UriKind.Relative));
            if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.OK))
            {
                throw new InvalidOperationException($"GET /api/v1/networks answered {(int)response.StatusCode}: the client must not be banned or limited");
            }
        }
    });
    await Task.WhenAll(workers);
}

static long CpuTicks(int pid)
{
    // /proc/PID/stat: fields after the command's closing parenthesis; utime and stime are the 12th and 13th of those.
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static IPAddress Mask(IPAddress address, int length)
{
    var bytes = address.GetAddressBytes();
    for (var bit = length; bit < bytes.Length * 8; bit++)
    {
        bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
    }

    return new IPAddress(bytes);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
