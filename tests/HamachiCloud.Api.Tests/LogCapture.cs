using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HamachiCloud.Api.Tests;

/// <summary>A logger provider that keeps every entry at Warning or above (what operators see by default).</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(string Category, LogLevel Level, string Message)> Entries => [.. _entries];

    /// <summary>Entries at Warning or above whose message contains <paramref name="text"/>.</summary>
    public IReadOnlyList<string> Warnings(string text) =>
        [.. _entries.Where(e => e.Level >= LogLevel.Warning && e.Message.Contains(text, StringComparison.Ordinal)).Select(e => $"{e.Category}: {e.Message}")];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue((category, logLevel, formatter(state, exception) + (exception is null ? "" : $" [{exception.GetType().Name}: {exception.Message}]")));
            }
        }
    }
}
