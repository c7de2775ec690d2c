namespace HamachiCloud.Data.Entities;

public enum SubscriptionStatus
{
    Active = 0,
    PastDue = 1,
    Cancelled = 2,
}
