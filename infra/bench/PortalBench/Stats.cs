namespace PortalBench;

/// <summary>Percentiles by nearest rank over a sample (p50 of 10 = the 5th smallest, p95 of 10 = the largest).</summary>
internal static class Stats
{
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("no values", nameof(values));
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    public static string Ms(double v) => $"{Math.Round(v):0} ms";
}
