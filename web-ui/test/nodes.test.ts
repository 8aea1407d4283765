import { describe, expect, it } from 'vitest';
import { pageOf, splitId } from '../src/nodes';

describe('node ids', () => {
  const namespaces = ['postgres://db:5432', 'file', 'file:/srv/lake/warehouse/analytics.db', 'malformed_tests'];

  it('take namespaces that contain colons and slashes from the known list, longest first', () => {
    expect(splitId('dataset:postgres://db:5432:sales.public.orders', namespaces)).toEqual({ kind: 'dataset', namespace: 'postgres://db:5432', name: 'sales.public.orders' });
    expect(splitId('dataset:file:/srv/lake/warehouse/analytics.db:analytics.ltv', namespaces)).toEqual({
      kind: 'dataset', namespace: 'file:/srv/lake/warehouse/analytics.db', name: 'analytics.ltv',
    });
    expect(splitId('dataset:file:/tmp/x:y', namespaces)).toEqual({ kind: 'dataset', namespace: 'file', name: '/tmp/x:y' });
  });

  it('fall back to the last colon for a namespace not in the list', () => {
    expect(splitId('job:kafka://broker:9092:topic', [])).toEqual({ kind: 'job', namespace: 'kafka://broker:9092', name: 'topic' });
  });

  it('map to encoded app paths, markup included', () => {
    expect(pageOf('job:malformed_tests:<script>alert("job")</script>', namespaces)).toBe('/jobs/malformed_tests/%3Cscript%3Ealert(%22job%22)%3C%2Fscript%3E');
    expect(pageOf('run:1234', namespaces)).toBeNull();
  });
});
