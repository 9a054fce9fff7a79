using System.Reflection;

namespace Toolbar;

/// <summary>
/// A frame as captured while the request runs: only the method and the IL offset, which cost nothing to keep.
/// File and line are looked up later, when a panel's data is built, by <see cref="AppCode.Resolve(CapturedFrame)"/>.
/// </summary>
/// <param name="Method">The method that was running.</param>
/// <param name="ILOffset">The IL offset in it (<see cref="System.Diagnostics.StackFrame.OFFSET_UNKNOWN"/> when unknown).</param>
public readonly record struct CapturedFrame(MethodBase Method, int ILOffset);
