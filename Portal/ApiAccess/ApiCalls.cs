using System.Net.Sockets;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Portal.Auth;

namespace HamachiCloud.Portal.ApiAccess;

/// <summary>
/// Runs one user action against the Api under a new correlation id and turns any failure into a
/// <see cref="PortalError"/>, logged with that id: the Api's problem <c>detail</c>, "not reachable"
/// when the Api is down (the next action works again once it is back), "sign in again" when the
/// session ended. Components show <see cref="PortalError"/>; they never catch exceptions themselves.
/// </summary>
public sealed class ApiCalls(ILogger<ApiCalls> log)
{
    public async Task<ApiResult<T>> RunAsync<T>(string action, Func<CancellationToken, Task<T>> call, CancellationToken ct = default)
    {
        var reference = CorrelationId.New();
        var previous = CorrelationId.Current;
        CorrelationId.Current = reference;
        try
        {
            return new ApiResult<T>(await call(ct), null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new ApiResult<T>(default, Describe(action, e, reference));
        }
        finally
        {
            CorrelationId.Current = previous;
        }
    }

    public Task<ApiResult<bool>> RunAsync(string action, Func<CancellationToken, Task> call, CancellationToken ct = default) =>
        RunAsync(action, async c =>
        {
            await call(c);
            return true;
        }, ct);

    /// <summary>The user-facing error for <paramref name="e"/>, logged under <paramref name="reference"/>.</summary>
    public PortalError Describe(string action, Exception e, string reference)
    {
        switch (e)
        {
            case HamachiApiException api when api.Status is >= 400 and < 500:
                log.LogInformation("{Action}: the Api answered {Status} {Code} (reference {Reference})", action, api.Status, api.Code, reference);
                return new PortalError(Sentence(api.Problem.Detail ?? api.Problem.Title ?? "The request was refused."), reference, api.Problem);
            case HamachiApiException api:
                log.LogError("{Action}: the Api failed with {Status} {Code}: {Detail} (reference {Reference})", action, api.Status, api.Code, api.Problem.Detail, reference);
                return new PortalError($"The service had a problem. Try again in a moment (reference {reference}).", reference, api.Problem);
            case SessionEndedException:
                log.LogInformation("{Action}: the session ended: {Reason} (reference {Reference})", action, e.Message, reference);
                return new PortalError($"Your session has ended. Sign in again (reference {reference}).", reference, SessionEnded: true);
            case HttpRequestException { InnerException: SocketException } or HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }:
                log.LogWarning("{Action}: the Api is not reachable: {Error} (reference {Reference})", action, e.Message, reference);
                return new PortalError($"The service is not reachable right now (reference {reference}).", reference);
            case TaskCanceledException or TimeoutException:
                log.LogWarning("{Action}: the Api did not answer in time (reference {Reference})", action, reference);
                return new PortalError($"The service did not answer in time (reference {reference}).", reference);
            default:
                log.LogError(e, "{Action} failed (reference {Reference})", action, reference);
                return new PortalError($"Something went wrong (reference {reference}).", reference);
        }
    }

    private static string Sentence(string text)
    {
        var t = text.Trim();
        return t.Length == 0 ? t : char.ToUpperInvariant(t[0]) + t[1..] + (t.EndsWith('.') ? "" : ".");
    }
}
