namespace HamachiCloud.Testing.Net;

public static class NetworkNamespaceExtensions
{
    /// <summary>
    /// Runs <paramref name="create"/> on a fresh thread inside the namespace and returns its result:
    /// sockets created there stay in the namespace (the calling thread is never moved).
    /// </summary>
    public static T Invoke<T>(this NetworkNamespace ns, Func<T> create)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (ns.Enter())
                {
                    result = create();
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result! : throw new IOException($"in namespace {ns.Name}: {failure.Message}", failure);
    }
}
