using System.Runtime.InteropServices;

namespace ServerlessMonitor.Hosting;

/// <summary>
/// A small file that several processes starting at once on one data folder may each try to create (a generated key):
/// each writes its content aside (owner-only on Unix) and publishes it under the name only if the name is still free —
/// a hard link on Unix, a move without overwrite on Windows, both atomic — so exactly one content is published, whole,
/// and every other process reads that one. (A move without overwrite is not atomic on Unix: .NET checks, then renames,
/// so two processes could both "win" and the second replace the first's file after the first had used its content.)
/// </summary>
public static class FirstFileWins
{
    /// <summary>The content stored at <paramref name="path"/>, or <paramref name="create"/>'s, published there first.</summary>
    public static string ReadOrCreate(string path, Func<string> create)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var content = create();
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(temp, options))
        {
            writer.Write(content);
        }
        try
        {
            return Publish(temp, path) ? content : File.ReadAllText(path);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>True when <paramref name="temp"/> now stands at <paramref name="path"/>; false when another file was there first.</summary>
    private static bool Publish(string temp, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Copy(temp, path, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
        }
        if (Link(temp, path) == 0)
        {
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == EExist ? false : throw new IOException($"Could not publish {path} (errno {errno}).");
    }

    private const int EExist = 17;

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
