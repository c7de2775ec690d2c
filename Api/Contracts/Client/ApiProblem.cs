namespace HamachiCloud.Api.Contracts.Client;

/// <summary>
/// An RFC 7807 problem as the API returns it, with the stable <see cref="Code"/>. <see cref="CorrelationId"/>
/// (the body's <c>correlationId</c>, else the <c>X-Correlation-Id</c> response header) is what to show a user
/// and to look for in the Api's logs. <see cref="Plan"/>: for <c>plan_required</c> (402), the name of the smallest plan that allows the action.
/// </summary>
public sealed record ApiProblem(
    int Status,
    string Code,
    string? Title,
    string? Detail,
    IReadOnlyDictionary<string, string[]>? Errors,
    string? CorrelationId = null,
    string? Plan = null);
