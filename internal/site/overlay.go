package site

import (
	"io/fs"
	"os"

	"github.com/spf13/afero"
)

// overlayFs lays in-memory files (the fallback pages) over the real site sources
// without writing to content/. afero's union files lack ReadDir, which Hugo needs,
// so every file opened through it gains one.
type overlayFs struct{ afero.Fs }

func newOverlayFs(base, layer afero.Fs) afero.Fs {
	return overlayFs{afero.NewCopyOnWriteFs(afero.NewReadOnlyFs(base), layer)}
}

func (o overlayFs) Open(name string) (afero.File, error) {
	f, err := o.Fs.Open(name)
	if err != nil {
		return nil, err
	}
	return readDirFile{f}, nil
}

func (o overlayFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	f, err := o.Fs.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return readDirFile{f}, nil
}

type readDirFile struct{ afero.File }

func (f readDirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	infos, err := f.Readdir(n)
	entries := make([]fs.DirEntry, len(infos))
	for i, info := range infos {
		entries[i] = fs.FileInfoToDirEntry(info)
	}
	return entries, err
}
