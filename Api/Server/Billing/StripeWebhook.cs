using System.Text;
using HamachiCloud.Api.Plans;
using Hangfire;
using Microsoft.Extensions.Options;
using Stripe;

namespace HamachiCloud.Api.Billing;

/// <summary>
/// POST /api/v1/billing/stripe/webhook: verifies the <c>Stripe-Signature</c> header with the endpoint
/// secret (<see cref="EventUtility.ConstructEvent(string, string, string, long, long, bool)"/>,
/// tolerance 300 s, against this server's clock), then processes each event id exactly once: the
/// <see cref="StripeEvent"/> row is saved in the same unit of work as the subscription changes, so a
/// redelivered or replayed event answers 200 and changes nothing. Then the owner's plans are
/// recomputed (<see cref="PlanChanges"/>) and a payment-failed mail is queued. Answers: 400 for a bad
/// or old signature or a body that is not an event, 503 when billing is not set up, 200 for
/// everything Stripe need not resend (applied, duplicate, ignored). Scoped.
/// </summary>
internal sealed class StripeWebhook(
    HamachiDbContext db, StripeEvents events, PlanChanges plans, IOptions<BillingOptions> options, TimeProvider clock,
    IBackgroundJobClient jobs, StripeWebhook.Gate gate, ILogger<StripeWebhook> log)
{
    /// <summary>
    /// One event at a time on this node (singleton): Stripe delivers related events concurrently. Across
    /// nodes the event's stored id and the subscription's derived row id refuse the loser (500, Stripe retries).
    /// </summary>
    public sealed class Gate : IDisposable
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public void Dispose() => Lock.Dispose();
    }

    public const string SignatureHeader = "Stripe-Signature";
    public const long ToleranceSeconds = 300;
    private const int MaxBodyBytes = 512 * 1024;

    /// <summary>The answer's body: what happened to the event.</summary>
    public sealed record Answer(string EventId, string Outcome);

    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Configured)
        {
            return Problem(503, ErrorCodes.BillingNotConfigured, "payments are not set up on this server (Billing:SecretKey, Billing:WebhookSecret)");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return Problem(400, ErrorCodes.MalformedRequest, $"webhook body over {MaxBodyBytes} bytes");
        }

        string json;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            var buffer = new char[MaxBodyBytes + 1];
            var read = await reader.ReadBlockAsync(buffer, ct);
            if (read > MaxBodyBytes)
            {
                return Problem(400, ErrorCodes.MalformedRequest, $"webhook body over {MaxBodyBytes} bytes");
            }

            json = new string(buffer, 0, read);
        }

        Event e;
        try
        {
            e = EventUtility.ConstructEvent(json, request.Headers[SignatureHeader].ToString(), o.WebhookSecret,
                ToleranceSeconds, clock.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (Exception ex) when (ex is StripeException or Newtonsoft.Json.JsonException or System.Text.Json.JsonException or ArgumentException or FormatException)
        {
            log.LogWarning("stripe webhook from {Address} refused: {Reason}", request.HttpContext.Connection.RemoteIpAddress, ex.Message);
            return Problem(400, ErrorCodes.InvalidSignature, $"webhook refused: {ex.Message}");
        }

        if (string.IsNullOrEmpty(e.Id) || e.Id.Length > StripeEvent.MaxIdLength)
        {
            return Problem(400, ErrorCodes.MalformedRequest, "webhook event without a valid id");
        }

        await gate.Lock.WaitAsync(ct);
        try
        {
            return await ProcessAsync(e, ct);
        }
        finally
        {
            gate.Lock.Release();
        }
    }

    private async Task<IResult> ProcessAsync(Event e, CancellationToken ct)
    {
        if (await db.StripeEvents.AsNoTracking().AnyAsync(x => x.Id == e.Id, ct))
        {
            return Results.Ok(new Answer(e.Id, "duplicate: already processed"));
        }

        var result = await events.ApplyAsync(e, ct);
        db.StripeEvents.Add(new StripeEvent
        {
            Id = e.Id,
            Type = e.Type.Length > 100 ? e.Type[..100] : e.Type,
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(e.Created, DateTimeKind.Utc)),
            ProcessedAt = clock.GetUtcNow(),
            Outcome = result.Outcome,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same event processed by another request (or node) at the same moment: theirs counts.
            db.ChangeTracker.Clear();
            if (await db.StripeEvents.AsNoTracking().AnyAsync(x => x.Id == e.Id, ct))
            {
                return Results.Ok(new Answer(e.Id, "duplicate: already processed"));
            }

            throw;
        }

        log.LogInformation("stripe event {EventId} {Type}: {Outcome}", e.Id, e.Type, result.Outcome);
        if (result.Owner is { } owner)
        {
            await plans.ApplyAsync(owner, ct);
        }

        if (result.PaymentFailed is { } subscription)
        {
            jobs.Enqueue<BillingMails>(m => m.SendPaymentFailedAsync(subscription, CancellationToken.None));
        }

        return Results.Ok(new Answer(e.Id, result.Outcome));
    }

    private static IResult Problem(int status, string code, string detail) => throw new ApiProblemException(status, code, detail);
}
