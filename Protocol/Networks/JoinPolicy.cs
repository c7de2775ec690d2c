namespace HamachiCloud.Protocol.Networks;

/// <summary>How a new member gets in.</summary>
public enum JoinPolicy
{
    /// <summary>Anyone with the network id joins at once.</summary>
    Open = 0,

    /// <summary>The network password is required.</summary>
    Password = 1,

    /// <summary>The join request waits until an owner or admin approves it.</summary>
    Approval = 2,
}
