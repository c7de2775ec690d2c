using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace HamachiCloud.Agent.Platform.Windows;

/// <summary>
/// wintun.dll's entry points (https://www.wintun.net), loaded at run time so a missing DLL is one clear
/// error instead of a DllNotFoundException at the first call. Loaded once per process.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed unsafe class WintunApi
{
    public const int ErrorHandleEof = 38;
    public const int ErrorBufferOverflow = 111;
    public const int ErrorNoMoreItems = 259;

    private static readonly Lazy<WintunApi> Instance = new(Load);

    private WintunApi(nint library)
    {
        CreateAdapter = (delegate* unmanaged[Stdcall]<char*, char*, Guid*, nint>)Export(library, "WintunCreateAdapter");
        CloseAdapter = (delegate* unmanaged[Stdcall]<nint, void>)Export(library, "WintunCloseAdapter");
        StartSession = (delegate* unmanaged[Stdcall]<nint, uint, nint>)Export(library, "WintunStartSession");
        EndSession = (delegate* unmanaged[Stdcall]<nint, void>)Export(library, "WintunEndSession");
        GetReadWaitEvent = (delegate* unmanaged[Stdcall]<nint, nint>)Export(library, "WintunGetReadWaitEvent");
        ReceivePacket = (delegate* unmanaged[Stdcall]<nint, uint*, byte*>)Export(library, "WintunReceivePacket");
        ReleaseReceivePacket = (delegate* unmanaged[Stdcall]<nint, byte*, void>)Export(library, "WintunReleaseReceivePacket");
        AllocateSendPacket = (delegate* unmanaged[Stdcall]<nint, uint, byte*>)Export(library, "WintunAllocateSendPacket");
        SendPacket = (delegate* unmanaged[Stdcall]<nint, byte*, void>)Export(library, "WintunSendPacket");
    }

    public delegate* unmanaged[Stdcall]<char*, char*, Guid*, nint> CreateAdapter { get; }

    public delegate* unmanaged[Stdcall]<nint, void> CloseAdapter { get; }

    public delegate* unmanaged[Stdcall]<nint, uint, nint> StartSession { get; }

    public delegate* unmanaged[Stdcall]<nint, void> EndSession { get; }

    public delegate* unmanaged[Stdcall]<nint, nint> GetReadWaitEvent { get; }

    public delegate* unmanaged[Stdcall]<nint, uint*, byte*> ReceivePacket { get; }

    public delegate* unmanaged[Stdcall]<nint, byte*, void> ReleaseReceivePacket { get; }

    public delegate* unmanaged[Stdcall]<nint, uint, byte*> AllocateSendPacket { get; }

    public delegate* unmanaged[Stdcall]<nint, byte*, void> SendPacket { get; }

    /// <summary>The loaded API, or a <see cref="DllNotFoundException"/> naming wintun.dll and where to put it.</summary>
    public static WintunApi Get() => Instance.Value;

    private static WintunApi Load()
    {
        if (NativeLibrary.TryLoad("wintun.dll", Assembly.GetExecutingAssembly(), DllImportSearchPath.ApplicationDirectory | DllImportSearchPath.System32, out var library))
        {
            return new WintunApi(library);
        }

        throw new DllNotFoundException(
            $"wintun.dll not found: put wintun.dll for this architecture ({RuntimeInformation.ProcessArchitecture}) from https://www.wintun.net next to {Environment.ProcessPath ?? "hamachi.exe"} or in System32");
    }

    private static nint Export(nint library, string name) =>
        NativeLibrary.TryGetExport(library, name, out var address)
            ? address
            : throw new EntryPointNotFoundException($"wintun.dll: export '{name}' missing (too old a wintun.dll? need 0.14 or later)");
}
