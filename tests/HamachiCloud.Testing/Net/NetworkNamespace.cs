using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HamachiCloud.Testing.Net;

/// <summary>
/// A network namespace a test creates and always deletes (Dispose), with loopback up. Run commands in it
/// (<see cref="Run"/>) or move the calling thread into it (<see cref="Enter"/>) to create sockets and TUN
/// devices there. Needs root (check with <see cref="Requires.Root"/> first).
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;

    private readonly bool _owned;

    private NetworkNamespace(string name, bool owned)
    {
        Name = name;
        _owned = owned;
    }

    public string Name { get; }

    /// <summary>Creates "hct-{tag}-{pid}-{n}" (short, unique per process) with lo up.</summary>
    public static NetworkNamespace Create(string tag)
    {
        var name = $"hct{tag}{Environment.ProcessId % 100000}x{Interlocked.Increment(ref _counter)}";
        Shell.Run("ip", "netns", "add", name);
        var ns = new NetworkNamespace(name, owned: true);
        try
        {
            ns.Run("ip", "link", "set", "lo", "up");
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>An existing namespace (e.g. made by infra/lab/hosts.sh) that Dispose leaves alone.</summary>
    public static NetworkNamespace Attach(string name) => new(name, owned: false);

    /// <summary>Runs a program inside the namespace (<c>ip netns exec</c>); throws with its output on failure.</summary>
    public string Run(params string[] command) => Shell.Run(["ip", "netns", "exec", Name, .. command]);

    /// <summary>
    /// Moves the calling thread into the namespace until the returned scope is disposed. Sockets and TUN
    /// devices created meanwhile live in the namespace and stay there.
    /// </summary>
    public IDisposable Enter()
    {
        var original = File.OpenHandle($"/proc/thread-self/ns/net");
        using var target = File.OpenHandle($"/var/run/netns/{Name}");
        if (SetNs((int)target.DangerousGetHandle(), CloneNewNet) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            original.Dispose();
            throw new IOException($"setns {Name}: errno {errno}");
        }

        return new Scope(original);
    }

    public void Dispose()
    {
        if (!_owned)
        {
            return;
        }

        try
        {
            Shell.Run("ip", "netns", "delete", Name);
        }
        catch (IOException)
        {
            // Already gone.
        }
    }

    private static int _counter;

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);

    private sealed class Scope(Microsoft.Win32.SafeHandles.SafeFileHandle original) : IDisposable
    {
        public void Dispose()
        {
            if (SetNs((int)original.DangerousGetHandle(), CloneNewNet) != 0)
            {
                Environment.FailFast("could not return the test thread to its network namespace");
            }

            original.Dispose();
        }
    }
}
