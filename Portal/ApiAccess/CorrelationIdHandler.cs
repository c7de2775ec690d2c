namespace HamachiCloud.Portal.ApiAccess;

/// <summary>
/// Puts the action's correlation id (<see cref="CorrelationId.Current"/>, or a new one) on an
/// anonymous call, as <see cref="ApiAccessTokenHandler"/> does for signed-in calls.
/// </summary>
public sealed class CorrelationIdHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(CorrelationId.Header);
        request.Headers.Add(CorrelationId.Header, CorrelationId.Current ?? CorrelationId.New());
        return base.SendAsync(request, cancellationToken);
    }
}
