// A file button that speaks the app's language (the browser's own speaks the browser's), and the file chosen.
import { useI18n } from '../../i18n/index.tsx';
import { Icon } from '../Icon.tsx';

interface Props {
  file: File | null;
  accept: string;
  disabled: boolean;
  onChoose(file: File | null): void;
}

export function FilePick({ file, accept, disabled, onChoose }: Props) {
  const { t, num } = useI18n();
  return (
    <div className="filter-field">
      <span>{t('import.file')}</span>
      <div className="file-pick">
        <label className={`button${disabled ? ' disabled' : ''}`}>
          <Icon name="upload" /> {t('import.chooseFile')}
          <input type="file" accept={accept} disabled={disabled} data-testid="import-file" onChange={(e) => onChoose(e.currentTarget.files?.[0] ?? null)} />
        </label>
        <span className="file-name" data-testid="import-file-name" title={file?.name}>
          {file ? `${file.name} · ${num(file.size / 1024, 0)} KB` : t('import.noFile')}
        </span>
      </div>
    </div>
  );
}
