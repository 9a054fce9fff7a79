using System.Reflection;

namespace Toolbar.Panels.Threads;

/// <summary>
/// One frame of the stack the runtime walked on a blocked thread, as the shared listener read it: which app's code it is
/// is decided later, by the app whose request blocked (the listener serves every app of the process).
/// </summary>
/// <param name="Assembly">The loaded assembly of the frame's module, when there is one.</param>
/// <param name="Token">The method's metadata token (0 when unknown).</param>
/// <param name="ILOffset">The IL offset of the frame, or a negative value when unknown.</param>
/// <param name="Name">The runtime's full name of the method.</param>
internal readonly record struct WaitFrame(Assembly? Assembly, int Token, int ILOffset, string Name);
