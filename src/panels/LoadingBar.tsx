/** A thin bar under the top edge while tiles or data are loading: never a silent blank map. */
export function LoadingBar({ active }: { active: boolean }) {
  return <div className={`loading-bar${active ? ' active' : ''}`} data-testid="loading-bar" aria-hidden={!active} />;
}
