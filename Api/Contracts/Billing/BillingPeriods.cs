namespace HamachiCloud.Api.Contracts.Billing;

/// <summary>The billing periods a plan can be bought for (<see cref="CheckoutRequest.Period"/>).</summary>
public static class BillingPeriods
{
    public const string Monthly = "monthly";
    public const string Yearly = "yearly";

    public static readonly IReadOnlyList<string> All = [Monthly, Yearly];
}
