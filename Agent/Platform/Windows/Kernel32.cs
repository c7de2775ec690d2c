using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace HamachiCloud.Agent.Platform.Windows;

/// <summary>The Win32 event calls the Wintun backend needs.</summary>
[SupportedOSPlatform("windows")]
internal static partial class Kernel32
{
    public const uint Infinite = 0xFFFFFFFF;
    public const uint WaitObject0 = 0;

    [LibraryImport("kernel32.dll", EntryPoint = "CreateEventW", SetLastError = true)]
    public static partial nint CreateEvent(nint attributes, [MarshalAs(UnmanagedType.Bool)] bool manualReset, [MarshalAs(UnmanagedType.Bool)] bool initialState, nint name);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool SetEvent(nint handle);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool CloseHandle(nint handle);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    public static unsafe partial uint WaitForMultipleObjects(uint count, nint* handles, [MarshalAs(UnmanagedType.Bool)] bool waitAll, uint milliseconds);
}
