using HamachiCloud.Api.Plans;
using HamachiCloud.Data.Entities;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Api.Tests;

/// <summary>The pure order of who stays active under a smaller plan: owner, the owner's choice, then the longest-standing.</summary>
public sealed class PlanChangesTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_owner_then_the_kept_then_the_longest_standing_stay()
    {
        // The owner joined last here (e.g. ownership was moved); members 0..6 joined a day apart.
        var members = Enumerable.Range(0, 7).Select(i => Member(i, MemberRole.Member)).Append(Member(9, MemberRole.Owner)).ToList();
        members[5].KeepActive = true;
        members[6].KeepActive = true;

        var staying = PlanChanges.Staying(members, 5);

        Assert.Equal(new[] { members[7], members[5], members[6], members[0], members[1] }.Select(m => m.UserId).ToHashSet(), staying);
        Assert.Equal(members.Select(m => m.UserId).ToHashSet(), PlanChanges.Staying(members, 256)); // an upgrade: everyone
        Assert.Equal([members[7].UserId], PlanChanges.Staying(members, 1));
    }

    [Fact]
    public void More_kept_than_seats_the_longest_standing_of_the_kept_win()
    {
        var members = Enumerable.Range(0, 6).Select(i => Member(i, i == 0 ? MemberRole.Owner : MemberRole.Member)).ToList();
        members.ForEach(m => m.KeepActive = true);

        Assert.Equal(members.Take(3).Select(m => m.UserId).ToHashSet(), PlanChanges.Staying(members, 3));
    }

    private static Membership Member(int index, MemberRole role) => new()
    {
        Id = Guid.NewGuid(),
        UserId = Guid.Parse($"00000000-0000-0000-0000-{index + 1:000000000000}"),
        Role = role,
        Status = MemberStatus.Active,
        CreatedAt = Start.AddDays(index),
    };
}
