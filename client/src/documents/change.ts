/** What the change page asks the server, and the shapes of the answers (typed from the schema). */
import { graphql, type ResultOf } from '../lib/graphql/graphql.js';

export const CHANGE_PAGE = graphql(`
  query ChangePage($number: Int!) {
    change(number: $number) {
      number
      server
      project
      branch
      subject
      status
      createdAt
      updatedAt
      owner {
        key
        name
      }
      rechecks {
        patchSet
        createdAt
        reason
        ci
        author {
          key
          name
        }
      }
      runs {
        id
        runAt
        buildName
        status
        passes
        failures
        skips
        artifactsUrl
      }
      patchSets {
        number
        revision
        createdAt
        kind
        uploader {
          key
          name
        }
        reports {
          id
          createdAt
          pipeline
          verdict
          vote
          ci {
            ci
            name
            upstream
          }
          builds {
            job
            result
            logUrl
            duration
            voting
            run {
              id
              status
              passes
              failures
              skips
            }
          }
        }
      }
    }
    gerritServers {
      name
      url
    }
  }
`);

export type ChangeData = NonNullable<ResultOf<typeof CHANGE_PAGE>['change']>;
export type ChangePatchSet = ChangeData['patchSets'][number];
export type ChangeReport = ChangePatchSet['reports'][number];
export type ChangeRecheck = ChangeData['rechecks'][number];
export type ChangeRun = ChangeData['runs'][number];
