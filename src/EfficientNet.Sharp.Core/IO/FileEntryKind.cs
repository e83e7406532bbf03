namespace EfficientNet.Sharp.IO;

/// <summary>What a path names, as the file system reports it without following a final symbolic link.</summary>
internal enum FileEntryKind
{
    /// <summary>Nothing is there.</summary>
    Absent,

    /// <summary>A regular file: the only kind the library reads as data or replaces with its own output.</summary>
    RegularFile,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (the link itself, whatever it points to).</summary>
    SymbolicLink,

    /// <summary>A device, FIFO or socket: reading it may never end, replacing it destroys it.</summary>
    Special,
}
