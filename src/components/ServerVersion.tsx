import React from 'react';
import { IServerInfo } from '../tokens';
import { useTranslation } from './translation';

/** The server extension's version, small at the bottom: useful in bug reports, otherwise quiet. */
export function ServerVersion(props: { info: IServerInfo }): JSX.Element {
  const trans = useTranslation();
  return (
    <p className="jp-ReanaOpenbis-serverVersion">
      {trans.__('Server extension %1', props.info.version)}
    </p>
  );
}
