using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// A hub protocol that treats a call whose arguments do not bind (wrong types or count) as a
/// malformed frame: SignalR alone answers such a call with an error and keeps the connection;
/// this throws <see cref="InvalidDataException"/>, so the connection is closed (and the hub logs
/// it) exactly as for a frame that does not parse. Everything else is the wrapped protocol's.
/// </summary>
internal sealed class StrictHubProtocol(IHubProtocol inner) : IHubProtocol
{
    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HubMessage? message)
    {
        if (!inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }

        return message switch
        {
            InvocationBindingFailureMessage f => throw new InvalidDataException($"hub call '{f.Target}': arguments do not bind: {f.BindingFailure.SourceException.Message}"),
            StreamBindingFailureMessage f => throw new InvalidDataException($"stream item for '{f.Id}': does not bind: {f.BindingFailure.SourceException.Message}"),
            _ => true,
        };
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);
}
