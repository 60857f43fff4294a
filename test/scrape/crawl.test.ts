/** Autoindex listings read as Apache and nginx write them, and the choice of artifacts. */
import { describe, expect, it } from 'vitest';
import { parseListing, pickArtifacts, type ListedEntry } from '../../server/scrape/crawl.js';

const PAGE = 'http://logs.example.org/26/271726/2/check/job/937cf7b/';

const apache = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<html><head><title>Index of /26/271726/2/check/job/937cf7b</title></head><body>
<table>
<tr><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th></tr>
<tr><td><a href="/26/271726/2/check/job/">Parent Directory</a></td><td>&nbsp;</td><td align="right">  - </td></tr>
<tr><td><a href="console.html.gz">console.html.gz</a></td><td align="right">2016-02-09 02:39  </td><td align="right">1.5K</td><td>&nbsp;</td></tr>
<tr><td><a href="logs/">logs/</a></td><td align="right">2016-02-09 02:39  </td><td align="right">  - </td><td>&nbsp;</td></tr>
<tr><td><a href="/26/271726/2/check/job/937cf7b/abs.subunit">abs.subunit</a></td><td align="right">2016-02-09 02:39  </td><td align="right">2.0M</td></tr>
<tr><td><a href="http://logs.example.org/elsewhere/x.subunit">x.subunit</a></td><td align="right">7</td></tr>
<tr><td><a href="http://other.example/26/271726/2/check/job/937cf7b/y.subunit">y</a></td></tr>
<tr><td><a href="logs/deeper/z.subunit">z</a></td></tr>
<tr><td><a href="name%20with%20space.txt">name with space.txt</a></td><td align="right">12</td></tr>
<tr><td><a href='tick&amp;quote.txt'>odd</a></td></tr>
</table></body></html>`;

const nginx = `<html>
<head><title>Index of /26/271726/2/check/job/937cf7b/</title></head>
<body>
<h1>Index of /26/271726/2/check/job/937cf7b/</h1><hr><pre><a href="../">../</a>
<a href="logs/">logs/</a>                                              09-Feb-2016 02:39                   -
<a href="job-output.txt.gz">job-output.txt.gz</a>                                  09-Feb-2016 02:39               48213
<a href="tempest.subunit">tempest.subunit</a>                                    09-Feb-2016 02:39             1048576
</pre><hr></body>
</html>`;

const entry = (name: string, size: number | null, directory = false): ListedEntry => ({
  name,
  url: `${PAGE}${encodeURIComponent(name)}${directory ? '/' : ''}`,
  directory,
  size,
});

describe('parseListing', () => {
  it("reads Apache's table: no sort links, parent or links off the directory", () => {
    expect(parseListing(apache, PAGE)).toEqual([
      entry('console.html.gz', 1536),
      entry('logs', null, true),
      entry('abs.subunit', 2 * 1024 * 1024),
      entry('name with space.txt', 12),
      { ...entry('tick&quote.txt', null), url: `${PAGE}tick&quote.txt` },
    ]);
  });

  it("reads nginx's preformatted list with sizes in bytes", () => {
    expect(parseListing(nginx, PAGE)).toEqual([
      entry('logs', null, true),
      entry('job-output.txt.gz', 48213),
      entry('tempest.subunit', 1048576),
    ]);
  });
});

describe('pickArtifacts', () => {
  const file = (name: string, size: number | null = null) => entry(name, size);

  it('prefers testrepository.subunit to a larger stream, else takes the largest', () => {
    const found = pickArtifacts([
      file('big.subunit', 900),
      file('testrepository.subunit.gz', 10),
      file('dstat-csv_log.txt.gz'),
      file('console.html'),
      file('job-output.txt.gz'),
    ]);
    expect(found.subunit?.name).toBe('testrepository.subunit.gz');
    expect(found.dstat?.name).toBe('dstat-csv_log.txt.gz');
    expect(found.console?.name).toBe('job-output.txt.gz');
    const largest = pickArtifacts([
      file('a.subunit', 5),
      file('b.subunit.gz', 50),
      file('c.subunit'),
    ]);
    expect(largest.subunit?.name).toBe('b.subunit.gz');
  });

  it('finds nothing where nothing is', () => {
    expect(
      pickArtifacts([file('README'), file('testr_results.html.gz'), file('dstat.html')]),
    ).toEqual({
      subunit: null,
      dstat: null,
      console: null,
    });
  });
});
