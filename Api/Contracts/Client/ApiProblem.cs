namespace HamachiCloud.Api.Contracts.Client;

/// <summary>An RFC 7807 problem as the API returns it, with the stable <see cref="Code"/>.</summary>
public sealed record ApiProblem(int Status, string Code, string? Title, string? Detail, IReadOnlyDictionary<string, string[]>? Errors);
