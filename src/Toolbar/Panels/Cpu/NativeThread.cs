using System.Runtime.InteropServices;

namespace Toolbar.Panels.Cpu;

/// <summary>
/// The operating system's id of the current thread: the id EventPipe stamps on each sample. .NET exposes only the
/// managed thread id, so it is read from the OS once per thread and cached.
/// </summary>
internal static class NativeThread
{
    [ThreadStatic]
    private static ulong t_id;

    public static ulong CurrentId
    {
        get
        {
            var id = t_id;
            if (id == 0)
            {
                id = t_id = Read();
            }

            return id;
        }
    }

    private static ulong Read()
    {
        if (OperatingSystem.IsWindows())
        {
            return GetCurrentThreadId();
        }

        if (OperatingSystem.IsLinux())
        {
            return (ulong)gettid();
        }

        if (OperatingSystem.IsMacOS() && pthread_threadid_np(IntPtr.Zero, out var macId) == 0)
        {
            return macId;
        }

        return ulong.MaxValue;
    }

    // Classic imports: LibraryImport would need unsafe code in the whole assembly for three blittable calls.
    [DllImport("kernel32")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    private static extern uint GetCurrentThreadId();

    [DllImport("libc")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int gettid();

    [DllImport("libc")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int pthread_threadid_np(IntPtr thread, out ulong id);
}
