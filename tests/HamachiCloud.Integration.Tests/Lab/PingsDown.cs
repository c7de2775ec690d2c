using System.Diagnostics;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Lab;

internal static partial class Pings
{
    /// <summary>
    /// True once <paramref name="to"/> stops answering <paramref name="from"/> (two 1-second ping windows in a
    /// row without a reply) within <paramref name="limit"/>: a tunnel that went down.
    /// </summary>
    public static bool StopsAnswering(NetworkNamespace from, string to, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var silent = 0;
        while (clock.Elapsed < limit)
        {
            silent = Answers(from, to, TimeSpan.FromSeconds(1)) ? 0 : silent + 1;
            if (silent == 2)
            {
                return true;
            }
        }

        return false;
    }
}
