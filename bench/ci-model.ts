/**
 * The actors of the CI benchmark's generated history (bench/ci-data.ts): projects of uneven
 * activity, people, and CI systems that differ in what they cover, how often they report, how
 * late, how often they fail and how flaky their jobs are. Deterministic from the seed.
 */
import type { CommentStyle } from '../test/helpers/gerrit-comments.js';
import { random } from './api-data.js';

export interface CiShape {
  days: number;
  projects: number;
  cis: number;
  /** New changes per weekday over all projects (weekends see 40% of that). */
  changesPerDay: number;
  /** The history's end: the benchmark's "now". */
  end: Date;
}

export interface JobSpec {
  readonly name: string;
  readonly voting: boolean;
  /** Chance of failing on a sound patch set (flaky jobs fail often for nothing). */
  readonly flaky: number;
  /** Chance of failing on a broken patch set. */
  readonly sensitive: number;
  readonly seconds: number;
}

export interface CiSpec {
  readonly index: number;
  readonly account: string;
  readonly name: string;
  readonly upstream: boolean;
  readonly style: CommentStyle;
  /** Indexes of the projects it reports on. */
  readonly projects: ReadonlySet<number>;
  /** Chance of reporting on a patch set of a project it covers. */
  readonly coverage: number;
  /** Median seconds from patch set created to report. */
  readonly latency: number;
  readonly jobs: readonly JobSpec[];
  /** Whether its reports carry a Verified vote. */
  readonly votes: boolean;
  /** Chance per patch set of a comment that is no result. */
  readonly unparsed: number;
  /** It reports nothing from this instant on (ms), or never stops. */
  readonly stopsAt: number | null;
}

/** The busy project the matrix is measured on, and the two CIs whose records are. */
export const BUSY_PROJECT = 'openstack/nova';
export const UPSTREAM_CI = 'zuul';
export const THIRD_PARTY_CI = 'netapp-ci';
/** The CI that stopped reporting, this long before the end. */
export const STOPPED_BEFORE_END_MS = 10 * 86_400_000;

const PROJECT_NAMES = (
  'nova neutron cinder glance keystone swift ironic tempest horizon heat manila ' +
  'octavia designate barbican placement masakari zun magnum trove sahara aodh ' +
  'ceilometer gnocchi panko watcher senlin mistral zaqar murano solum blazar cyborg ' +
  'freezer karbor kuryr monasca networking-ovn os-brick oslo.db oslo.messaging ' +
  'python-novaclient python-cinderclient devstack requirements storlets tacker ' +
  'venus vitrage skyline adjutant'
).split(' ');
const VENDORS = (
  'netapp dell-emc hpe ibm cisco mellanox vmware huawei fujitsu hitachi nec pure ' +
  'infinidat kaminario datera nexenta quobyte storpool lightbits inspur zadara ' +
  'veritas macrosan yadro open-e toyou synology sandstone lenovo'
).split(' ');
const UPSTREAM_JOBS = (
  'tempest-full-py3 nova-live-migration nova-grenade-multinode neutron-ovn-tempest ' +
  'openstack-tox-py311 openstack-tox-py312 openstack-tox-pep8 openstack-tox-docs ' +
  'openstack-tox-cover tempest-integrated-compute tempest-slow-py3 grenade ' +
  'nova-ceph-multistore nova-next build-openstack-sphinx-docs'
).split(' ');
const THIRD_PARTY_SUFFIXES = 'tempest dsvm-volume iscsi fc nvme multipath replication backup'.split(
  ' ',
);

export function projectNames(count: number): string[] {
  if (count > PROJECT_NAMES.length) throw new Error(`at most ${PROJECT_NAMES.length} projects`);
  return PROJECT_NAMES.slice(0, count).map((name) => `openstack/${name}`);
}

/** Activity weight of each project: a few busy ones, a long quiet tail. */
export function projectWeights(count: number): number[] {
  return Array.from({ length: count }, (_, i) => 1 / (i + 1) ** 0.8);
}

/** Picks an index by weight. */
export function pick(weights: readonly number[], r: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let left = r * total;
  for (let i = 0; i < weights.length; i++) {
    left -= weights[i]!;
    if (left < 0) return i;
  }
  return weights.length - 1;
}

/** The upstream CI first, then the third-party ones; the last stops reporting before the end. */
export function ciSpecs(shape: CiShape): CiSpec[] {
  if (shape.cis > VENDORS.length + 1) throw new Error(`at most ${VENDORS.length + 1} CIs`);
  const rand = random(20261203);
  const weights = projectWeights(shape.projects);
  const all = new Set(Array.from({ length: shape.projects }, (_, i) => i));
  const specs: CiSpec[] = [
    {
      index: 0,
      account: UPSTREAM_CI,
      name: 'Zuul',
      upstream: true,
      style: 'zuul-v3',
      projects: all,
      coverage: 0.985,
      latency: 75 * 60,
      jobs: UPSTREAM_JOBS.map((name, j) => ({
        name,
        voting: j !== 2 && j !== 13,
        flaky: j === 2 || j === 13 ? 0.12 : 0.004 + rand() * 0.02,
        sensitive: j < 5 ? 0.5 : 0.15,
        seconds: Math.round(300 + rand() * 6000),
      })),
      votes: true,
      unparsed: 0,
      stopsAt: null,
    },
  ];
  for (let i = 1; i < shape.cis; i++) {
    const vendor = VENDORS[i - 1]!;
    const covered = new Set<number>(i === 1 ? [0] : []);
    const wanted = Math.min(shape.projects, 1 + Math.floor(rand() ** 1.5 * 15));
    while (covered.size < wanted) covered.add(pick(weights, rand()));
    const jobCount = 2 + Math.floor(rand() * 13);
    const baseFailure = 0.01 + rand() * 0.12;
    specs.push({
      index: i,
      account: `${vendor}-ci`,
      name: `${vendor.replace(/(^|-)(\w)/g, (_, dash: string, c: string) => `${dash}${c.toUpperCase()}`)} CI`,
      upstream: false,
      style: i % 7 === 3 ? 'jenkins' : i % 7 === 5 ? 'zuul-v2' : 'third-party',
      projects: covered,
      coverage: 0.45 + rand() * 0.53,
      latency: Math.round((20 + rand() * 300) * 60),
      jobs: Array.from({ length: jobCount }, (_, j) => ({
        name: `${vendor}-${THIRD_PARTY_SUFFIXES[j % THIRD_PARTY_SUFFIXES.length]}${j < THIRD_PARTY_SUFFIXES.length ? '' : `-${j}`}`,
        voting: j % 4 !== 3,
        // One flaky job in three CIs; the rest fail at the CI's own rate.
        flaky: j === 0 && i % 3 === 0 ? 0.25 + rand() * 0.2 : baseFailure * rand(),
        sensitive: 0.3 + rand() * 0.5,
        seconds: Math.round(600 + rand() * 5400),
      })),
      votes: rand() < 0.6,
      unparsed: i % 5 === 2 ? 0.02 : 0,
      stopsAt: i === shape.cis - 1 ? shape.end.getTime() - STOPPED_BEFORE_END_MS : null,
    });
  }
  return specs;
}
