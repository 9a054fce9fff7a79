using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Toolbar.Internal;

/// <summary>
/// File, line and column of a method's IL offset, read from the assembly's portable PDB (a <c>.pdb</c> beside it
/// or embedded in it). Each PDB is opened once, on the first frame that needs it; an assembly without one answers
/// <c>null</c> forever.
/// </summary>
internal sealed class PortablePdb : IDisposable
{
    private static readonly ConcurrentDictionary<Assembly, PortablePdb?> s_pdbs = new();
    private readonly MetadataReaderProvider _provider;
    private readonly MetadataReader _reader;
    private readonly Lock _lock = new();

    private PortablePdb(MetadataReaderProvider provider)
    {
        _provider = provider;
        _reader = provider.GetMetadataReader();
    }

    public static SourceLocation? Find(MethodBase method, int ilOffset)
    {
        if (method.DeclaringType?.Assembly is not { IsDynamic: false } assembly || ilOffset < 0)
        {
            return null;
        }

        try
        {
            var pdb = s_pdbs.GetOrAdd(assembly, Open);
            return pdb?.Lookup(method.MetadataToken, ilOffset);
        }
        catch (Exception ex) when (ex is BadImageFormatException or InvalidOperationException or ArgumentException or IOException)
        {
            return null;
        }
    }

    private static PortablePdb? Open(Assembly assembly)
    {
        var path = assembly.Location;
        if (path.Length == 0 || !File.Exists(path))
        {
            return null;
        }

        try
        {
            using var pe = new PEReader(File.OpenRead(path));
            foreach (var entry in pe.ReadDebugDirectory())
            {
                if (entry.Type == DebugDirectoryEntryType.EmbeddedPortablePdb)
                {
                    return new PortablePdb(pe.ReadEmbeddedPortablePdbDebugDirectoryData(entry));
                }
            }

            if (pe.TryOpenAssociatedPortablePdb(path, static p => File.Exists(p) ? File.OpenRead(p) : null, out var provider, out _) && provider is not null)
            {
                return new PortablePdb(provider);
            }
        }
        catch (Exception ex) when (ex is BadImageFormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // A Windows (non-portable) PDB or an unreadable file: no source positions for this assembly.
        }

        return null;
    }

    private SourceLocation? Lookup(int methodToken, int ilOffset)
    {
        var handle = MetadataTokens.MethodDefinitionHandle(methodToken & 0x00FFFFFF);
        lock (_lock)
        {
            var info = _reader.GetMethodDebugInformation(handle.ToDebugInformationHandle());
            SequencePoint? best = null;
            foreach (var point in info.GetSequencePoints())
            {
                if (point.IsHidden)
                {
                    continue;
                }

                // The last visible sequence point at or before the offset is the statement that was running.
                if (point.Offset <= ilOffset || best is null)
                {
                    best = point;
                }

                if (point.Offset > ilOffset)
                {
                    break;
                }
            }

            if (best is not { } found)
            {
                return null;
            }

            var document = _reader.GetDocument(found.Document);
            return new SourceLocation(_reader.GetString(document.Name), found.StartLine, found.StartColumn);
        }
    }

    public void Dispose() => _provider.Dispose();
}
