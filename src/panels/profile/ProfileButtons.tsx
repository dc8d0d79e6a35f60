// Profile actions in a manhole's details: the profile downstream from it, or the path between two
// manholes (pick this one as the start, then "profile to here" on another).
import { useI18n } from '../../i18n/index.tsx';
import { profileActions, useProfileState } from './profileStore.ts';

export function ProfileButtons({ id, code }: { id: number; code: string }) {
  const { t } = useI18n();
  const { start } = useProfileState();
  return (
    <div className="trace-buttons profile-buttons">
      <button type="button" className="button small" data-testid="profile-downstream" onClick={() => profileActions.open({ from: `manhole:${id}`, label: code })}>
        {t('profile.downstream')}
      </button>
      {start && start.id !== id ? (
        <button type="button" className="button small" data-testid="profile-to-here" onClick={() => profileActions.pickEnd(id, code)}>
          {t('profile.toHere', { from: start.code })}
        </button>
      ) : (
        <button type="button" className="button small" data-testid="profile-pick-start" disabled={start?.id === id} onClick={() => profileActions.pickStart(id, code)}>
          {start?.id === id ? t('profile.startPicked') : t('profile.pickStart')}
        </button>
      )}
    </div>
  );
}
