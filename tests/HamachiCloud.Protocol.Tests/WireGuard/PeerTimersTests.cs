using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Protocol.Tests.WireGuard;

public sealed class PeerTimersTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double seconds) => T0 + TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Constants_are_wireguards()
    {
        Assert.Equal(1UL << 60, WireGuardLimits.RekeyAfterMessages);
        Assert.Equal(18446744073709543423UL, WireGuardLimits.RejectAfterMessages); // 2^64 - 2^13 - 1
        Assert.Equal(TimeSpan.FromSeconds(120), WireGuardLimits.RekeyAfterTime);
        Assert.Equal(TimeSpan.FromSeconds(180), WireGuardLimits.RejectAfterTime);
        Assert.Equal(TimeSpan.FromSeconds(90), WireGuardLimits.RekeyAttemptTime);
        Assert.Equal(TimeSpan.FromSeconds(5), WireGuardLimits.RekeyTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(333), WireGuardLimits.MaxRekeyJitter);
        Assert.Equal(TimeSpan.FromSeconds(10), WireGuardLimits.KeepaliveTimeout);
    }

    [Fact]
    public void Initiator_rekeys_when_sending_on_a_session_older_than_120_s()
    {
        var timers = new PeerTimers();
        timers.OnHandshakeComplete(T0, isInitiator: true);
        timers.OnDataReceived(At(119));
        timers.OnDataSent(At(119));
        Assert.Equal(TimerAction.None, timers.Decide(At(119.5)));

        timers.OnDataReceived(At(120));
        timers.OnDataSent(At(120));
        Assert.Equal(TimerAction.InitiateHandshake, timers.Decide(At(120)));

        timers.OnHandshakeInitiationSent(At(120), TimeSpan.Zero);
        Assert.Equal(TimerAction.None, timers.Decide(At(121)));
        timers.OnHandshakeComplete(At(121), isInitiator: true);
        Assert.Equal(TimerAction.None, timers.Decide(At(122)));
    }

    [Fact]
    public void Responder_does_not_rekey_by_age()
    {
        var timers = new PeerTimers();
        timers.OnHandshakeComplete(T0, isInitiator: false);
        timers.OnDataSent(At(170));
        timers.OnDataReceived(At(170));
        Assert.Equal(TimerAction.None, timers.Decide(At(170)));
    }

    [Fact]
    public void Initiator_rekeys_when_receiving_on_a_session_older_than_165_s()
    {
        var timers = new PeerTimers();
        timers.OnHandshakeComplete(T0, isInitiator: true);
        timers.OnDataReceived(At(164));
        timers.OnKeepaliveSent(At(164));
        Assert.Equal(TimerAction.None, timers.Decide(At(164)));
        timers.OnDataReceived(At(165));
        timers.OnKeepaliveSent(At(165));
        Assert.Equal(TimerAction.InitiateHandshake, timers.Decide(At(165)));
    }

    [Fact]
    public void Session_is_rejected_from_180_s_and_keys_are_zeroed_at_540_s()
    {
        var timers = new PeerTimers();
        Assert.False(timers.CanUseSession(T0));
        timers.OnHandshakeComplete(T0, isInitiator: true);
        Assert.True(timers.CanUseSession(At(179.999)));
        Assert.False(timers.CanUseSession(At(180)));

        Assert.NotEqual(TimerAction.ZeroKeys, timers.Decide(At(539)));
        Assert.Equal(TimerAction.ZeroKeys, timers.Decide(At(540)));
        timers.OnKeysZeroed();
        Assert.Equal(TimerAction.None, timers.Decide(At(600)));
        Assert.Null(timers.SessionStartedAt);
    }

    [Fact]
    public void Keepalive_after_10_s_of_silence_following_received_data()
    {
        var timers = new PeerTimers();
        timers.OnHandshakeComplete(T0, isInitiator: false);
        timers.OnDataReceived(At(1));
        Assert.Equal(TimerAction.None, timers.Decide(At(10.999)));
        Assert.Equal(TimerAction.SendKeepalive, timers.Decide(At(11)));
        timers.OnKeepaliveSent(At(11));
        Assert.Equal(TimerAction.None, timers.Decide(At(30)));
    }

    [Fact]
    public void Sending_data_cancels_the_pending_keepalive()
    {
        var timers = new PeerTimers();
        timers.OnHandshakeComplete(T0, isInitiator: false);
        timers.OnDataReceived(At(1));
        timers.OnDataSent(At(5));
        timers.OnKeepaliveReceived(At(6));
        Assert.Equal(TimerAction.None, timers.Decide(At(12)));
    }

    [Fact]
    public void New_handshake_when_sent_data_gets_no_answer_for_15_s()
    {
        var timers = new PeerTimers();
        timers.OnHandshakeComplete(T0, isInitiator: false);
        timers.OnDataSent(At(1));
        timers.OnDataSent(At(10)); // does not push the deadline
        Assert.Equal(TimerAction.None, timers.Decide(At(15.9)));
        Assert.Equal(TimerAction.InitiateHandshake, timers.Decide(At(16)));

        var answered = new PeerTimers();
        answered.OnHandshakeComplete(T0, isInitiator: false);
        answered.OnDataSent(At(1));
        answered.OnKeepaliveReceived(At(2));
        Assert.Equal(TimerAction.None, answered.Decide(At(20)));
    }

    [Fact]
    public void Retry_after_5_s_plus_jitter()
    {
        var timers = new PeerTimers();
        var jitter = TimeSpan.FromMilliseconds(200);
        timers.OnHandshakeInitiationSent(T0, jitter);
        Assert.True(timers.HandshakeInProgress);
        Assert.Equal(TimerAction.None, timers.Decide(At(5.199)));
        Assert.Equal(TimerAction.RetryHandshake, timers.Decide(At(5.2)));

        timers.OnHandshakeInitiationSent(At(5.2), TimeSpan.FromMilliseconds(333));
        Assert.Equal(TimerAction.None, timers.Decide(At(10.5)));
        Assert.Equal(TimerAction.RetryHandshake, timers.Decide(At(10.533)));

        Assert.Throws<ArgumentOutOfRangeException>(() => timers.OnHandshakeInitiationSent(T0, TimeSpan.FromMilliseconds(334)));
        Assert.Throws<ArgumentOutOfRangeException>(() => timers.OnHandshakeInitiationSent(T0, TimeSpan.FromMilliseconds(-1)));
    }

    [Fact]
    public void Give_up_after_90_s_of_attempts()
    {
        var timers = new PeerTimers();
        var now = T0;
        var attempts = 0;
        TimerAction action;
        timers.OnHandshakeInitiationSent(now, TimeSpan.FromMilliseconds(100));
        while (true)
        {
            now += TimeSpan.FromSeconds(5.1);
            action = timers.Decide(now);
            if (action != TimerAction.RetryHandshake)
            {
                break;
            }

            attempts++;
            timers.OnHandshakeInitiationSent(now, TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(TimerAction.GiveUpHandshake, action);
        Assert.True(now - T0 >= TimeSpan.FromSeconds(90));
        Assert.True(now - T0 < TimeSpan.FromSeconds(90 + 5.1));
        Assert.Equal(17, attempts);

        timers.OnHandshakeGivenUp(now);
        Assert.False(timers.HandshakeInProgress);
        Assert.Equal(TimerAction.None, timers.Decide(now + TimeSpan.FromSeconds(1)));
        Assert.Equal(TimerAction.ZeroKeys, timers.Decide(now + (3 * WireGuardLimits.RejectAfterTime)));
    }

    [Fact]
    public void Persistent_keepalive_fires_after_the_interval_of_silence()
    {
        var timers = new PeerTimers(TimeSpan.FromSeconds(25));
        timers.OnHandshakeComplete(T0, isInitiator: true);
        timers.OnKeepaliveSent(T0);
        Assert.Equal(TimerAction.None, timers.Decide(At(24)));
        Assert.Equal(TimerAction.SendKeepalive, timers.Decide(At(25)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PeerTimers(TimeSpan.Zero));
    }

    [Fact]
    public void A_handshake_in_progress_suppresses_new_initiations_and_an_initiation_counts_as_traffic()
    {
        var timers = new PeerTimers();
        timers.OnHandshakeComplete(T0, isInitiator: true);
        timers.OnDataSent(At(121));
        timers.OnHandshakeInitiationSent(At(121), TimeSpan.Zero);
        timers.OnDataReceived(At(122));
        Assert.Equal(TimerAction.None, timers.Decide(At(125)));
        Assert.Equal(TimerAction.RetryHandshake, timers.Decide(At(126)));

        // The keepalive due at 132 (data received at 122) was cancelled by the retry at 126, as in wireguard-go.
        timers.OnHandshakeInitiationSent(At(126), TimeSpan.Zero);
        Assert.Equal(TimerAction.None, timers.Decide(At(130.9)));
        Assert.Equal(TimerAction.RetryHandshake, timers.Decide(At(132)));
    }

    [Fact]
    public void Giving_up_does_not_immediately_restart_the_rekey()
    {
        var timers = new PeerTimers();
        timers.OnHandshakeComplete(T0, isInitiator: true);
        timers.OnDataSent(At(130));
        Assert.Equal(TimerAction.InitiateHandshake, timers.Decide(At(130)));
        timers.OnHandshakeInitiationSent(At(130), TimeSpan.Zero);
        timers.OnHandshakeGivenUp(At(220));
        Assert.Equal(TimerAction.None, timers.Decide(At(221)));

        timers.OnDataSent(At(230)); // new traffic on the old session asks again
        Assert.Equal(TimerAction.InitiateHandshake, timers.Decide(At(230)));
    }
}
