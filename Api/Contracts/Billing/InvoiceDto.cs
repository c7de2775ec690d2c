namespace HamachiCloud.Api.Contracts.Billing;

/// <summary>An invoice from Stripe (GET /api/v1/billing/invoices): amounts in cents of <see cref="Currency"/>.</summary>
public sealed record InvoiceDto(
    string Id,
    string? Number,
    string? Status,
    long TotalCents,
    string Currency,
    DateTimeOffset CreatedAt,
    string? HostedUrl,
    string? PdfUrl);
