using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>A hub filter that counts the hub methods invoked, by name (what a server actually received).</summary>
internal sealed class HubCallCounter : IHubFilter
{
    private readonly ConcurrentDictionary<string, int> _calls = new();

    public int this[string method] => _calls.GetValueOrDefault(method);

    public string Summary => _calls.IsEmpty ? "none" : string.Join(", ", _calls.OrderBy(c => c.Key).Select(c => $"{c.Key} ×{c.Value}"));

    public IReadOnlyCollection<string> Methods => [.. _calls.Keys];

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        _calls.AddOrUpdate(invocationContext.HubMethodName, 1, (_, n) => n + 1);
        return next(invocationContext);
    }
}
